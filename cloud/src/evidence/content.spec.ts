import zlib from 'node:zlib';
import { ErrorCodes } from '@heihe/shared';
import { checkPdf, crc32, inspect, sniff, stripJpeg } from './content';
import { checkPdfBytes, lzw } from './pdf';

const limits = { maxMegapixels: 50 };

function seg(marker: number, body: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

function exifWithOrientation(orientation: number, extra = 'GPS 50.2456N 127.5281E'): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(1, 8);
  tiff.writeUInt16LE(0x0112, 10);
  tiff.writeUInt16LE(3, 12);
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt16LE(orientation, 18);
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff, Buffer.from(extra)]);
}

function aJpeg(
  o: { width?: number; height?: number; orientation?: number; trailing?: string; noEoi?: boolean } = {},
): Buffer {
  const sof = Buffer.from([8, 0, 0, 0, 0, 1, 1, 0x11, 0]);
  sof.writeUInt16BE(o.height ?? 480, 1);
  sof.writeUInt16BE(o.width ?? 640, 3);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    seg(0xe1, exifWithOrientation(o.orientation ?? 6)),
    seg(0xe1, Buffer.from('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>作者 王建华</x:xmpmeta>')),
    seg(0xe2, Buffer.from('ICC_PROFILE\0\x01\x01profile-bytes', 'latin1')),
    seg(0xed, Buffer.from('Photoshop 3.0\0IPTC caption')),
    seg(0xfe, Buffer.from('comment: taken at 黑河市爱辉区')),
    seg(0xdb, Buffer.alloc(65, 1)),
    seg(0xc0, sof),
    seg(0xc4, Buffer.alloc(20, 0)),
    seg(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
    Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd3, 0x56]),
    o.noEoi ? Buffer.alloc(0) : Buffer.from([0xff, 0xd9]),
    Buffer.from(o.trailing ?? ''),
  ]);
}

function chunk(type: string, data: Buffer, badCrc = false): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(badCrc ? 0 : crc32(td));
  return Buffer.concat([len, td, crc]);
}

function aPng(o: { width?: number; height?: number; badCrc?: boolean } = {}): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(o.width ?? 1, 0);
  ihdr.writeUInt32BE(o.height ?? 1, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('tEXt', Buffer.from('Author\0王建华', 'utf8')),
    chunk('eXIf', Buffer.from('MM\0*GPS')),
    chunk('gAMA', Buffer.from([0, 0, 0xb1, 0x8f])),
    chunk('IDAT', zlib.deflateSync(Buffer.from([0, 255, 0, 0])), o.badCrc),
    chunk('tIME', Buffer.alloc(7)),
    chunk('IEND', Buffer.alloc(0)),
    Buffer.from('PK\x03\x04 appended zip'),
  ]);
}

const pdf = (dict: string, streams = '') =>
  Buffer.from(
    `%PDF-1.7\n1 0 obj\n<< /Type /Catalog ${dict} >>\nendobj\n${streams}trailer\n<< /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );

function objStm(content: string): string {
  const data = zlib.deflateSync(Buffer.from(content, 'latin1'));
  return `5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${data.length} >>\nstream\n${data.toString('latin1')}\nendstream\nendobj\n`;
}

/** An object stream holding `content`, encoded by `encode` and declared with `dict`. */
function encodedObjStm(content: string, dict: string, encode: (b: Buffer) => Buffer, num = 5): string {
  const data = encode(Buffer.from(content, 'latin1'));
  return `${num} 0 obj\n<< ${dict} /Length ${data.length} >>\nstream\n${data.toString('latin1')}\nendstream\nendobj\n`;
}

const hex = (b: Buffer) => Buffer.from(b.toString('hex').replace(/(.{64})/g, '$1\n') + '>', 'latin1');

function a85(b: Buffer): Buffer {
  let out = '';
  for (let i = 0; i < b.length; i += 4) {
    const chunk = Buffer.alloc(4);
    b.copy(chunk, 0, i, Math.min(i + 4, b.length));
    let v = chunk.readUInt32BE(0);
    const n = Math.min(4, b.length - i);
    if (v === 0 && n === 4) {
      out += 'z';
      continue;
    }
    const digits: string[] = [];
    for (let k = 0; k < 5; k++) {
      digits.unshift(String.fromCharCode((v % 85) + 33));
      v = Math.floor(v / 85);
    }
    out += digits.slice(0, n + 1).join('');
  }
  return Buffer.from(`${out}~>`, 'latin1');
}

function runLengthEncode(b: Buffer): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += 128) {
    const part = b.subarray(i, i + 128);
    out.push(Buffer.from([part.length - 1]), part);
  }
  out.push(Buffer.from([128]));
  return Buffer.concat(out);
}

/** LZW with 9-bit codes only: enough for inputs under ~250 distinct sequences. */
function lzwEncode(b: Buffer): Buffer {
  const dict = new Map<string, number>();
  let next = 258;
  const codes: number[] = [256];
  let w = '';
  for (const byte of b) {
    const wc = w + String.fromCharCode(byte);
    if (wc.length === 1 || dict.has(wc)) {
      w = wc;
      continue;
    }
    codes.push(w.length === 1 ? w.charCodeAt(0) : dict.get(w)!);
    dict.set(wc, next++);
    w = String.fromCharCode(byte);
  }
  codes.push(w.length === 1 ? w.charCodeAt(0) : dict.get(w)!, 257);
  if (next >= 510) throw new Error('lzwEncode: input too varied for 9-bit codes');
  let bits = '';
  for (const c of codes) bits += c.toString(2).padStart(9, '0');
  bits = bits.padEnd(Math.ceil(bits.length / 8) * 8, '0');
  return Buffer.from(bits.match(/.{8}/g)!.map((x) => parseInt(x, 2)));
}

/** PNG "Up" predictor rows of `columns` bytes: the raw bytes no longer spell the names. */
function pngUp(b: Buffer, columns: number): Buffer {
  const rows: Buffer[] = [];
  const padded = Buffer.concat([b, Buffer.alloc((columns - (b.length % columns)) % columns, 0x20)]);
  for (let r = 0; r < padded.length; r += columns) {
    const row = Buffer.alloc(columns + 1);
    row[0] = 2;
    for (let i = 0; i < columns; i++) row[i + 1] = (padded[r + i]! - (r > 0 ? padded[r - columns + i]! : 0)) & 0xff;
    rows.push(row);
  }
  return Buffer.concat(rows);
}

const SCRIPT = "6 0 << /S /JavaScript /JS (app.launchURL('http://x')) >>";

describe('evidence content checks', () => {
  describe('sniff', () => {
    it('knows JPEG, PNG and PDF by their first bytes', () => {
      const sut = [aJpeg(), aPng(), pdf('')].map(sniff);
      expect(sut).toEqual(['image/jpeg', 'image/png', 'application/pdf']);
    });

    it('does not know a Windows executable, whatever its name', () => {
      const sut = sniff(Buffer.from('MZ\x90\x00\x03\x00\x00\x00PE\0\0', 'latin1'));
      expect(sut).toBeNull();
    });

    it('refuses an executable with the type error', () => {
      const sut = () => inspect(Buffer.from('MZ\x90\x00This program cannot be run in DOS mode', 'latin1'), limits);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.EVIDENCE_TYPE_NOT_ALLOWED }));
    });

    it('refuses HEIC, which it cannot strip', () => {
      const sut = () =>
        inspect(
          Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]),
          limits,
        );
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.EVIDENCE_TYPE_NOT_ALLOWED }));
    });
  });

  describe('JPEG', () => {
    it('drops Exif GPS, XMP, IPTC and comments', () => {
      const sut = stripJpeg(aJpeg(), limits).data.toString('utf8');
      expect([sut.includes('GPS'), sut.includes('xmpmeta'), sut.includes('IPTC'), sut.includes('黑河')]).toEqual([
        false,
        false,
        false,
        false,
      ]);
    });

    it('keeps JFIF, the ICC profile and the scan', () => {
      const sut = stripJpeg(aJpeg(), limits).data.toString('latin1');
      expect([sut.includes('JFIF'), sut.includes('ICC_PROFILE'), sut.includes('\x12\xff\x00\x34\xff\xd3\x56')]).toEqual(
        [true, true, true],
      );
    });

    it('carries the orientation over alone, right after JFIF', () => {
      const out = stripJpeg(aJpeg({ orientation: 6 }), limits).data;
      const app1 = out.indexOf(Buffer.from([0xff, 0xe1]));
      const sut = { afterJfif: app1 === 2 + 2 + 16, orientation: out.readUInt16BE(app1 + 4 + 6 + 8 + 2 + 8) };
      expect(sut).toEqual({ afterJfif: true, orientation: 6 });
    });

    it('reads the dimensions from the frame header', () => {
      const sut = stripJpeg(aJpeg({ width: 4032, height: 3024 }), limits);
      expect([sut.width, sut.height]).toEqual([4032, 3024]);
    });

    it('drops whatever is appended after the end of the image', () => {
      const sut = stripJpeg(aJpeg({ trailing: 'PK\x03\x04 hidden archive' }), limits).data;
      expect(sut.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    });

    it('refuses an image bomb by its header: 60000 × 60000', () => {
      const sut = () => inspect(aJpeg({ width: 60000, height: 60000 }), limits);
      expect(sut).toThrow(
        expect.objectContaining({
          code: ErrorCodes.EVIDENCE_IMAGE_TOO_LARGE,
          message: expect.stringContaining('60000×60000'),
        }),
      );
    });

    it('refuses a truncated file', () => {
      const sut = () => inspect(aJpeg({ noEoi: true }), limits);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.EVIDENCE_MALFORMED }));
    });

    it('refuses a segment length that runs past the end', () => {
      const bad = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]), Buffer.alloc(10)]);
      const sut = () => inspect(bad, limits);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.EVIDENCE_MALFORMED }));
    });
  });

  describe('PNG', () => {
    it('keeps the image chunks and drops text, Exif, time and trailing data', () => {
      const out = inspect(aPng(), limits).data;
      const types: string[] = [];
      for (let p = 8; p < out.length;) {
        const len = out.readUInt32BE(p);
        types.push(out.subarray(p + 4, p + 8).toString('latin1'));
        p += 12 + len;
      }
      expect(types).toEqual(['IHDR', 'gAMA', 'IDAT', 'IEND']);
    });

    it('refuses an image bomb by its header', () => {
      const sut = () => inspect(aPng({ width: 100_000, height: 100_000 }), limits);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.EVIDENCE_IMAGE_TOO_LARGE }));
    });

    it('refuses a chunk with a wrong checksum', () => {
      const sut = () => inspect(aPng({ badCrc: true }), limits);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.EVIDENCE_MALFORMED }));
    });
  });

  describe('PDF', () => {
    it('accepts a plain document as it is', () => {
      const doc = pdf('/Pages 2 0 R');
      const sut = inspect(doc, limits);
      expect(sut.data).toBe(doc);
    });

    it('refuses JavaScript', () => {
      const sut = () => inspect(pdf('/OpenAction << /S /JavaScript /JS (app.alert(1)) >>'), limits);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.EVIDENCE_TYPE_NOT_ALLOWED }));
    });

    it('refuses JavaScript spelled with #-escapes', () => {
      const sut = () => inspect(pdf('/OpenAction << /S /#4Aava#53cript >>'), limits);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.EVIDENCE_TYPE_NOT_ALLOWED }));
    });

    it('refuses a launch action hidden in a compressed object stream', () => {
      const sut = () => inspect(pdf('/Pages 2 0 R', objStm('6 0 << /S /Launch /F (cmd.exe) >>')), limits);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.EVIDENCE_TYPE_NOT_ALLOWED }));
    });

    it('accepts a harmless compressed object stream', () => {
      const sut = inspect(pdf('/Pages 2 0 R', objStm('6 0 << /Type /Page /MediaBox [0 0 595 842] >>')), limits);
      expect(sut.mime).toBe('application/pdf');
    });

    it('refuses JavaScript in an object stream encoded with ASCIIHexDecode', () => {
      const stm = encodedObjStm(SCRIPT, '/Type /ObjStm /N 1 /First 4 /Filter /ASCIIHexDecode', hex);
      const sut = () => inspect(pdf('/Pages 2 0 R', stm), limits);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.EVIDENCE_TYPE_NOT_ALLOWED }));
    });

    it.each([
      ['ASCII85Decode', '/ASCII85Decode', a85],
      ['LZWDecode', '/LZWDecode', lzwEncode],
      ['RunLengthDecode', '/RunLengthDecode', runLengthEncode],
      ['the abbreviation AHx', '/AHx', hex],
      ['a #-escaped filter name', '/ASCIIHex#44ecode', hex],
      ['a chain ASCIIHex over Flate', '[/ASCIIHexDecode /FlateDecode]', (b: Buffer) => hex(zlib.deflateSync(b))],
      ['a chain ASCII85 over LZW', '[/A85 /LZW]', (b: Buffer) => a85(lzwEncode(b))],
    ])('refuses JavaScript in an object stream encoded with %s', (_, filter, encode) => {
      const stm = encodedObjStm(SCRIPT, `/Type /ObjStm /N 1 /First 4 /Filter ${filter}`, encode);
      const sut = () => inspect(pdf('/Pages 2 0 R', stm), limits);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.EVIDENCE_TYPE_NOT_ALLOWED }));
    });

    it('refuses JavaScript behind a PNG predictor', () => {
      const stm = encodedObjStm(
        SCRIPT,
        '/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >>',
        (b) => zlib.deflateSync(pngUp(b, 7)),
      );
      const sut = () => inspect(pdf('/Pages 2 0 R', stm), limits);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.EVIDENCE_TYPE_NOT_ALLOWED }));
    });

    it('refuses JavaScript in an object stream that does not say /Type /ObjStm', () => {
      const stm = encodedObjStm(SCRIPT, '/N 1 /First 4 /Filter /ASCIIHexDecode', hex);
      const sut = () => inspect(pdf('/Pages 2 0 R', stm), limits);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.EVIDENCE_TYPE_NOT_ALLOWED }));
    });

    it('reads the filter of a dictionary padded past 4 KB or holding " obj" in a string', () => {
      const padded = encodedObjStm(SCRIPT, `/Filter /ASCIIHexDecode /N 1 /First 4 /Pad (${' '.repeat(5000)})`, hex);
      const tricked = encodedObjStm(SCRIPT, '/Filter /ASCIIHexDecode /Type /ObjStm /N 1 /First 4 /T ( obj)', hex, 7);
      const sut = [padded, tricked].map((stm) => checkPdfBytes(pdf('/Pages 2 0 R', stm)));
      expect(sut).toEqual([
        expect.objectContaining({ reason: 'active' }),
        expect.objectContaining({ reason: 'active' }),
      ]);
    });

    it('accepts a harmless object stream through a filter chain', () => {
      const stm = encodedObjStm(
        '6 0 << /Type /Page /MediaBox [0 0 595 842] >>',
        '/Type /ObjStm /N 1 /First 4 /Filter [/ASCII85Decode /FlateDecode]',
        (b) => a85(zlib.deflateSync(b)),
      );
      const sut = inspect(pdf('/Pages 2 0 R', stm), limits);
      expect(sut.mime).toBe('application/pdf');
    });

    it('refuses a stream whose filter it does not know, as malformed', () => {
      const stm = encodedObjStm('q Q', '/Filter /SecretDecode', (b) => b);
      const sut = () => inspect(pdf('/Pages 2 0 R', stm), limits);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.EVIDENCE_MALFORMED }));
    });

    it('refuses an object stream it cannot decode, as malformed', () => {
      const stm = encodedObjStm(SCRIPT, '/Type /ObjStm /N 1 /First 4 /Filter /ASCIIHexDecode', () =>
        Buffer.from('not hex at all>'),
      );
      const sut = () => inspect(pdf('/Pages 2 0 R', stm), limits);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.EVIDENCE_MALFORMED }));
    });

    it('refuses an object stream behind an image codec, as malformed', () => {
      const stm = encodedObjStm('6 0 << /Type /Page >>', '/Type /ObjStm /N 1 /First 4 /Filter /DCTDecode', hex);
      const sut = () => inspect(pdf('/Pages 2 0 R', stm), limits);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.EVIDENCE_MALFORMED }));
    });

    it('leaves image streams opaque', () => {
      const img = encodedObjStm('\xff\xd8 pixels /JS', '/Type /XObject /Subtype /Image /Filter /DCTDecode', (b) => b);
      const sut = checkPdfBytes(pdf('/Pages 2 0 R', img.replace('/JS', '/Q')));
      expect(sut).toEqual({ ok: true });
    });

    it('refuses an encrypted document, whose object streams it cannot read', () => {
      const doc = Buffer.from(
        pdf('/Pages 2 0 R').toString('latin1').replace('/Root', '/Encrypt 9 0 R /Root'),
        'latin1',
      );
      const sut = () => checkPdf(doc);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.EVIDENCE_TYPE_NOT_ALLOWED }));
    });

    it('refuses a file whose object streams decode past the budget', () => {
      const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
      const stm = encodedObjStm(big.toString('latin1'), '/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode', (b) =>
        zlib.deflateSync(b),
      );
      const sut = checkPdfBytes(pdf('/Pages 2 0 R', stm), { maxDecodedBytes: 1024 * 1024 });
      expect(sut).toMatchObject({ ok: false, reason: 'too-large' });
    });

    it('decodes LZW as the PDF reference spells it out', () => {
      const sut = lzw(Buffer.from([0x80, 0x0b, 0x60, 0x50, 0x22, 0x0c, 0x0c, 0x85, 0x01]), 1024);
      expect([...sut]).toEqual([0x2d, 0x2d, 0x2d, 0x2d, 0x2d, 0x41, 0x2d, 0x2d, 0x2d, 0x42]);
    });

    it('refuses a file cut off before %%EOF', () => {
      const sut = () => inspect(Buffer.from('%PDF-1.7\n1 0 obj\n<< >>\nendobj\n'), limits);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.EVIDENCE_MALFORMED }));
    });
  });
});
