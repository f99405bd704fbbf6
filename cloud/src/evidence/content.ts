import { AppError, ErrorCodes } from '@heihe/shared';
import { checkPdfBytes, type PdfVerdict } from './pdf';
import type { PdfInspector } from './pdf-inspector';

/**
 * What an uploaded file really is, judged by its bytes, never by its name or the client's
 * content type; and a copy of it without metadata. Pure functions over buffers, no native
 * dependencies: images are not decoded, they are walked segment by segment (JPEG) or chunk by
 * chunk (PNG), keeping what rendering needs and dropping the rest.
 */
export type EvidenceMime = 'image/jpeg' | 'image/png' | 'application/pdf';

export interface InspectedFile {
  mime: EvidenceMime;
  /** The bytes to store: images without metadata, PDFs as sent. */
  data: Buffer;
  width: number | null;
  height: number | null;
}

export interface InspectLimits {
  maxMegapixels: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The allowlist, by magic bytes. HEIC is refused: the mini program's chooseMedia hands over JPEG. */
export function sniff(data: Buffer): EvidenceMime | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (data.length >= 5 && data.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return null;
}

const malformed = (what: string) =>
  new AppError(ErrorCodes.EVIDENCE_MALFORMED, `文件已损坏或格式不完整（${what}），请重新拍摄或导出后上传`);

function checkPixels(width: number, height: number, limits: InspectLimits): void {
  if (width <= 0 || height <= 0) throw malformed('图片尺寸为 0');
  if (width * height > limits.maxMegapixels * 1_000_000)
    throw new AppError(
      ErrorCodes.EVIDENCE_IMAGE_TOO_LARGE,
      `图片尺寸 ${width}×${height} 超过上限（${limits.maxMegapixels} 百万像素），请压缩后重新上传`,
    );
}

export function inspect(data: Buffer, limits: InspectLimits): InspectedFile {
  const mime = sniff(data);
  if (mime === 'image/jpeg') return stripJpeg(data, limits);
  if (mime === 'image/png') return stripPng(data, limits);
  if (mime === 'application/pdf') return checkPdf(data);
  throw new AppError(
    ErrorCodes.EVIDENCE_TYPE_NOT_ALLOWED,
    '只能上传 JPG、PNG 图片或 PDF 文件（按文件内容识别，改扩展名无效）',
  );
}

// ---- JPEG ---------------------------------------------------------------------------------------

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;
/** Start-of-frame markers carry the dimensions; C4 (DHT), C8 (JPG) and CC (DAC) are not frames. */
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
const isRst = (m: number) => m >= 0xd0 && m <= 0xd7;
/** Tables and frame parameters: DHT, DAC, DQT, DNL, DRI, DHP, EXP. */
const TABLES = new Set([0xc4, 0xcc, 0xdb, 0xdc, 0xdd, 0xde, 0xdf]);

/**
 * Keeps SOI, JFIF (APP0), ICC profiles (APP2 "ICC_PROFILE"), Adobe (APP14, it decides the colour
 * transform), tables, frames and scans, and EOI. Drops Exif and XMP (APP1: GPS position, camera,
 * time, thumbnails), every other APPn, comments, reserved markers, and anything after EOI. The
 * Exif orientation is carried over alone in a minimal Exif block, or phone photos would show
 * rotated.
 */
export function stripJpeg(data: Buffer, limits: InspectLimits): InspectedFile {
  const out: Buffer[] = [Buffer.from([0xff, SOI])];
  let orientation: number | null = null;
  let orientationWritten = false;
  let width: number | null = null;
  let height: number | null = null;
  let pos = 2;
  let ended = false;
  while (pos < data.length) {
    if (data[pos] !== 0xff) throw malformed('JPEG 段标记');
    let marker = data[pos + 1];
    // Fill bytes (0xFF 0xFF …) may precede a marker.
    while (marker === 0xff) {
      pos++;
      marker = data[pos + 1];
    }
    if (marker === undefined) throw malformed('JPEG 截断');
    if (marker === EOI) {
      out.push(Buffer.from([0xff, EOI]));
      ended = true;
      break;
    }
    if (marker === SOI || isRst(marker) || marker === 0x01 || marker === 0x00) throw malformed('JPEG 段标记');
    if (pos + 4 > data.length) throw malformed('JPEG 截断');
    const length = data.readUInt16BE(pos + 2);
    if (length < 2 || pos + 2 + length > data.length) throw malformed('JPEG 段长度');
    const segment = data.subarray(pos, pos + 2 + length);
    const body = data.subarray(pos + 4, pos + 2 + length);
    if (marker === APP1) orientation ??= exifOrientation(body);
    const keep =
      marker === APP0 ||
      marker === APP14 ||
      (marker === APP2 && body.subarray(0, 12).toString('latin1') === 'ICC_PROFILE\0') ||
      isSof(marker) ||
      TABLES.has(marker) ||
      marker === SOS;
    if (isSof(marker)) {
      if (body.length < 5) throw malformed('JPEG 帧头');
      height = body.readUInt16BE(1);
      width = body.readUInt16BE(3);
      checkPixels(width, height, limits);
    }
    if (marker === SOS && !orientationWritten) {
      orientationWritten = true;
      // After JFIF when there is one: JFIF must directly follow SOI.
      if (orientation !== null) out.splice(out[1]?.[1] === APP0 ? 2 : 1, 0, minimalExif(orientation));
    }
    if (keep) out.push(segment);
    pos += 2 + length;
    if (marker === SOS) {
      // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart.
      const start = pos;
      while (pos < data.length) {
        if (data[pos] === 0xff) {
          const next = data[pos + 1];
          if (next === undefined) break;
          if (next !== 0x00 && !isRst(next)) break;
        }
        pos++;
      }
      out.push(data.subarray(start, pos));
    }
  }
  if (!ended) throw malformed('JPEG 缺少结束标记');
  if (width === null || height === null) throw malformed('JPEG 缺少帧头');
  return { mime: 'image/jpeg', data: Buffer.concat(out), width, height };
}

/** Orientation (tag 0x0112) from an APP1 Exif body, or null. */
function exifOrientation(body: Buffer): number | null {
  if (body.length < 14 || body.subarray(0, 6).toString('latin1') !== 'Exif\0\0') return null;
  const tiff = body.subarray(6);
  const order = tiff.subarray(0, 2).toString('latin1');
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  const u16 = (o: number) => (o + 2 <= tiff.length ? (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o)) : -1);
  const u32 = (o: number) => (o + 4 <= tiff.length ? (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o)) : -1);
  const ifd = u32(4);
  const count = u16(ifd);
  if (ifd < 8 || count < 0) return null;
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

/** An APP1 Exif segment holding only IFD0 with the Orientation tag. */
function minimalExif(orientation: number): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8);
  tiff.writeUInt16BE(0x0112, 10);
  tiff.writeUInt16BE(3, 12); // SHORT
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(orientation, 18);
  tiff.writeUInt32BE(0, 22); // no next IFD
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, APP1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

// ---- PNG ----------------------------------------------------------------------------------------

/**
 * Chunks that change how the image looks. Everything else goes: tEXt/zTXt/iTXt (free text, often
 * software and author), eXIf, tIME, and animation chunks (the first frame stays).
 */
const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'pHYs']);

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc32(buf: Buffer): number {
  let c = -1;
  for (let i = 0; i < buf.length; i++) c = (CRC_TABLE[(c ^ buf[i]!) & 0xff] as number) ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

export function stripPng(data: Buffer, limits: InspectLimits): InspectedFile {
  const out: Buffer[] = [PNG_SIGNATURE];
  let pos = 8;
  let width: number | null = null;
  let height: number | null = null;
  let ended = false;
  while (pos + 12 <= data.length) {
    const length = data.readUInt32BE(pos);
    if (length > data.length - pos - 12) throw malformed('PNG 数据块长度');
    const type = data.subarray(pos + 4, pos + 8).toString('latin1');
    if (!/^[A-Za-z]{4}$/.test(type)) throw malformed('PNG 数据块类型');
    const chunk = data.subarray(pos, pos + 12 + length);
    if (crc32(data.subarray(pos + 4, pos + 8 + length)) !== data.readUInt32BE(pos + 8 + length))
      throw malformed('PNG 校验');
    if (pos === 8) {
      if (type !== 'IHDR' || length !== 13) throw malformed('PNG 缺少文件头');
      width = data.readUInt32BE(pos + 8);
      height = data.readUInt32BE(pos + 12);
      checkPixels(width, height, limits);
    }
    if (PNG_KEEP.has(type)) out.push(chunk);
    pos += 12 + length;
    if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (!ended || width === null || height === null) throw malformed('PNG 不完整');
  return { mime: 'image/png', data: Buffer.concat(out), width, height };
}

// ---- PDF ----------------------------------------------------------------------------------------

/** The domain error for a PDF the checker (pdf.ts) refused. */
export function pdfRefusal(v: Exclude<PdfVerdict, { ok: true }>): AppError {
  if (v.reason === 'active')
    return new AppError(
      ErrorCodes.EVIDENCE_TYPE_NOT_ALLOWED,
      'PDF 含有脚本、自动动作或嵌入文件，请另存为普通 PDF 或拍照上传',
    );
  if (v.reason === 'encrypted')
    return new AppError(ErrorCodes.EVIDENCE_TYPE_NOT_ALLOWED, 'PDF 已加密，无法检查，请另存为未加密的 PDF 或拍照上传');
  return malformed(v.what);
}

/** The PDF check on this thread: for tools and tests; the upload path uses `inspectFile`. */
export function checkPdf(data: Buffer): InspectedFile {
  const v = checkPdfBytes(data);
  if (!v.ok) throw pdfRefusal(v);
  return { mime: 'application/pdf', data, width: null, height: null };
}

/** `inspect`, with PDFs checked by `pdf` (a pool of threads in the app). */
export async function inspectFile(data: Buffer, limits: InspectLimits, pdf: PdfInspector): Promise<InspectedFile> {
  if (sniff(data) !== 'application/pdf') return inspect(data, limits);
  const v = await pdf.check(data);
  if (!v.ok) throw pdfRefusal(v);
  return { mime: 'application/pdf', data, width: null, height: null };
}
