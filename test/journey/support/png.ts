import zlib from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A real RGB PNG: a photographed "decision document", white with dark text lines and a red seal,
 * so the preview in the screenshots shows something recognisable.
 */
export function aDocumentPhoto(width = 240, height = 320): Buffer {
  const rows: Buffer[] = [];
  const cx = width * 0.7;
  const cy = height * 0.78;
  const r = width * 0.15;
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x += 1) {
      let rgb = [250, 250, 246];
      const line = y > 40 && y < height * 0.65 && y % 18 < 5 && x > 24 && x < width - 24 - ((y * 7) % 60);
      const title = y > 14 && y < 28 && x > width * 0.25 && x < width * 0.75;
      if (line || title) rgb = [60, 60, 70];
      const d = Math.hypot(x - cx, y - cy);
      if (d < r && d > r - 6) rgb = [200, 30, 30];
      row[1 + x * 3] = rgb[0]!;
      row[2 + x * 3] = rgb[1]!;
      row[3 + x * 3] = rgb[2]!;
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
