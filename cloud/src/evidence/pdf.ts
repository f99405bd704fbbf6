import zlib from 'node:zlib';

/**
 * The PDF half of the content check, pure and without the domain's imports, so that a worker
 * thread can load it alone (pdf-inspect.worker.ts). PDFs are kept as sent (they are the documents
 * of record: receipts, letters with seals), but active content is refused: scripts, launch
 * actions, embedded files and rich media have no place in a receipt.
 *
 * Names are matched as PDF name tokens, also #xx-escaped, in the whole file and inside every
 * object stream, decoded through its whole filter chain and predictor. Only object streams hold
 * objects a reader interprets as PDF syntax; other streams (page content, fonts, pixels) are not
 * decoded, but their filter names must be ones a reader knows. An object stream the checker cannot
 * decode, an encrypted document (its object streams are ciphertext to us) and a file that decodes
 * to more than the budget are refused: what cannot be read cannot be vouched for.
 */
export type PdfVerdict =
  { ok: true } | { ok: false; reason: 'active' | 'encrypted' | 'malformed' | 'too-large'; what: string };

export interface PdfLimits {
  /** Bytes all filter stages of all object streams may produce together. */
  maxDecodedBytes: number;
}

export const DEFAULT_PDF_LIMITS: PdfLimits = { maxDecodedBytes: 64 * 1024 * 1024 };

const ACTIVE = /\/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData|GoToE)(?![A-Za-z0-9])/;
const ENCRYPT = /\/Encrypt(?![A-Za-z0-9])/;

class Refused extends Error {
  constructor(
    readonly reason: 'active' | 'encrypted' | 'malformed' | 'too-large',
    readonly what: string,
  ) {
    super(what);
  }
}

const bad = (what: string) => new Refused('malformed', what);

export function unescapeNames(text: string): string {
  return text.replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

export function checkPdfBytes(bytes: Uint8Array, limits: PdfLimits = DEFAULT_PDF_LIMITS): PdfVerdict {
  try {
    inspectPdf(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), limits);
    return { ok: true };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, reason: e.reason, what: e.what };
    // A RangeError from a hostile nesting or size is the file's fault, not ours.
    if (e instanceof RangeError) return { ok: false, reason: 'malformed', what: 'PDF 结构异常' };
    throw e;
  }
}

function inspectPdf(data: Buffer, limits: PdfLimits): void {
  const tail = data.subarray(Math.max(0, data.length - 2048)).toString('latin1');
  if (!tail.includes('%%EOF')) throw bad('PDF 缺少结束标记');
  const text = data.toString('latin1');
  const names = unescapeNames(text);
  if (ACTIVE.test(names)) throw new Refused('active', 'PDF 含有脚本、自动动作或嵌入文件');
  if (ENCRYPT.test(names)) throw new Refused('encrypted', 'PDF 已加密');
  const budget = { left: limits.maxDecodedBytes };
  const objects = new PdfObjects(text);
  for (const s of objects.streams()) {
    const filters = filtersOf(s.dict);
    if (!isObjectStream(s.dict)) continue;
    if (!s.lengthAgrees) throw bad('PDF 对象流长度不符');
    const decoded = decode(data.subarray(s.start, s.end), filters, paramsOf(s.dict, filters.length), budget);
    if (ACTIVE.test(unescapeNames(decoded.toString('latin1'))))
      throw new Refused('active', 'PDF 含有脚本、自动动作或嵌入文件');
  }
}

/**
 * A reader parses objects out of any stream an xref entry points into, given /N and /First; it
 * need not say /Type /ObjStm. So any of the three makes a stream an object stream here.
 */
function isObjectStream(dict: Dict): boolean {
  const type = dict.get('Type');
  return (type?.t === 'name' && type.v === 'ObjStm') || dict.has('N') || dict.has('First');
}

// ---- Lexer and objects --------------------------------------------------------------------------

type Value =
  | { t: 'name'; v: string }
  | { t: 'num'; v: number }
  | { t: 'ref'; n: number; g: number }
  | { t: 'dict'; v: Dict }
  | { t: 'arr'; v: Value[] }
  | { t: 'str' }
  | { t: 'kw'; v: string };
type Dict = Map<string, Value>;

const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const MAX_DEPTH = 64;

interface StreamAt {
  dict: Dict;
  start: number;
  end: number;
  /** /Length (direct, or an indirect integer) lands on `endstream`. */
  lengthAgrees: boolean;
}

/**
 * Walks the file's objects in order (`N G obj … endobj`), skipping each stream's data, so that
 * nothing inside a stream is taken for an object. A stream's data ends where its /Length says
 * when that lands on `endstream` (as readers do), else at the next `endstream`.
 */
class PdfObjects {
  private pos = 0;
  private headers: Map<string, number> | null = null;

  constructor(private readonly s: string) {}

  *streams(): Generator<StreamAt> {
    for (let from = 0; ;) {
      const h = this.nextHeader(from);
      if (h < 0) return;
      this.pos = h;
      const value = this.value(0);
      from = this.pos;
      if (value.t !== 'dict') continue;
      const save = this.pos;
      const kw = this.token();
      if (kw === null || kw.t !== 'kw' || kw.v !== 'stream') {
        this.pos = save;
        continue;
      }
      let start = this.pos;
      if (this.s.charCodeAt(start) === 0x0d) start++;
      if (this.s.charCodeAt(start) === 0x0a) start++;
      const length = this.lengthOf(value.v.get('Length'));
      let end = -1;
      let lengthAgrees = false;
      if (length !== null && start + length <= this.s.length) {
        let p = start + length;
        while (p < this.s.length && WS.has(this.s.charCodeAt(p))) p++;
        if (this.s.startsWith('endstream', p)) {
          end = start + length;
          lengthAgrees = true;
        }
      }
      if (end < 0) {
        end = this.s.indexOf('endstream', start);
        if (end < 0) throw bad('PDF 数据流不完整');
      }
      from = this.s.indexOf('endstream', end) + 9;
      yield { dict: value.v, start, end, lengthAgrees };
    }
  }

  /**
   * The next `N G obj` at or after `from`: found by the keyword and checked backwards, so that a
   * long run of digits costs one pass (a regex like /\d+\s+\d+\s+obj/ backtracks over it).
   */
  private nextHeader(from: number): number {
    for (let at = this.s.indexOf('obj', from); at >= 0; at = this.s.indexOf('obj', at + 3)) {
      const after = this.s.charCodeAt(at + 3);
      if (at + 3 < this.s.length && !WS.has(after) && !DELIM.has(after)) continue;
      let p = at - 1;
      const back = (pred: (c: number) => boolean, max: number) => {
        let n = 0;
        while (p >= 0 && n < max && pred(this.s.charCodeAt(p))) {
          p--;
          n++;
        }
        return n;
      };
      const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
      if (!back((c) => WS.has(c), 64) || !back(isDigit, 10) || !back((c) => WS.has(c), 64) || !back(isDigit, 10))
        continue;
      if (p >= 0 && isDigit(this.s.charCodeAt(p))) continue;
      return at + 3;
    }
    return -1;
  }

  private lengthOf(v: Value | undefined): number | null {
    if (v?.t === 'num') return Number.isInteger(v.v) && v.v >= 0 ? v.v : null;
    if (v?.t !== 'ref') return null;
    if (!this.headers) {
      // Later definitions win, as with incremental updates.
      this.headers = new Map();
      for (let from = 0; ;) {
        const h = this.nextHeader(from);
        if (h < 0) break;
        const m = /(\d+)\s+(\d+)\s+obj$/.exec(this.s.slice(Math.max(0, h - 160), h));
        if (m) this.headers.set(`${m[1]} ${m[2]}`, h);
        from = h;
      }
    }
    const at = this.headers.get(`${v.n} ${v.g}`);
    if (at === undefined) return null;
    const save = this.pos;
    try {
      this.pos = at;
      const n = this.value(0);
      return n.t === 'num' && Number.isInteger(n.v) && n.v >= 0 ? n.v : null;
    } catch {
      return null;
    } finally {
      this.pos = save;
    }
  }

  private skipSpace(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.pos);
      if (WS.has(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < s.length && s.charCodeAt(this.pos) !== 0x0a && s.charCodeAt(this.pos) !== 0x0d) this.pos++;
      } else return;
    }
  }

  /** One token: a complete string, name, number or keyword, or a delimiter as a keyword. */
  private token(): Value | null {
    this.skipSpace();
    const s = this.s;
    if (this.pos >= s.length) return null;
    const c = s.charCodeAt(this.pos);
    if (c === 0x28) {
      this.skipLiteralString();
      return { t: 'str' };
    }
    if (c === 0x3c && s.charCodeAt(this.pos + 1) !== 0x3c) {
      const end = s.indexOf('>', this.pos);
      if (end < 0) throw bad('PDF 字符串不完整');
      this.pos = end + 1;
      return { t: 'str' };
    }
    if (c === 0x3c || c === 0x3e) {
      if (s.charCodeAt(this.pos + 1) !== c) throw bad('PDF 语法');
      this.pos += 2;
      return { t: 'kw', v: c === 0x3c ? '<<' : '>>' };
    }
    if (c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d || c === 0x29) {
      this.pos++;
      return { t: 'kw', v: String.fromCharCode(c) };
    }
    const start = this.pos;
    if (c === 0x2f) this.pos++;
    while (this.pos < s.length) {
      const d = s.charCodeAt(this.pos);
      if (WS.has(d) || DELIM.has(d)) break;
      this.pos++;
    }
    const word = s.slice(start, this.pos);
    if (c === 0x2f) return { t: 'name', v: unescapeNames(word.slice(1)) };
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) return { t: 'num', v: Number(word) };
    return { t: 'kw', v: word };
  }

  private skipLiteralString(): void {
    const s = this.s;
    let depth = 0;
    for (; this.pos < s.length; this.pos++) {
      const c = s.charCodeAt(this.pos);
      if (c === 0x5c) this.pos++;
      else if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) {
        this.pos++;
        return;
      }
    }
    throw bad('PDF 字符串不完整');
  }

  private value(depth: number): Value {
    if (depth > MAX_DEPTH) throw bad('PDF 嵌套过深');
    const tok = this.token();
    if (tok === null) throw bad('PDF 对象不完整');
    if (tok.t === 'kw' && tok.v === '<<') {
      const dict: Dict = new Map();
      for (;;) {
        const k = this.token();
        if (k === null) throw bad('PDF 字典不完整');
        if (k.t === 'kw' && k.v === '>>') return { t: 'dict', v: dict };
        if (k.t !== 'name') throw bad('PDF 字典键');
        dict.set(k.v, this.value(depth + 1));
      }
    }
    if (tok.t === 'kw' && tok.v === '[') {
      const arr: Value[] = [];
      for (;;) {
        const save = this.pos;
        const k = this.token();
        if (k === null) throw bad('PDF 数组不完整');
        if (k.t === 'kw' && k.v === ']') return { t: 'arr', v: arr };
        this.pos = save;
        arr.push(this.value(depth + 1));
      }
    }
    if (tok.t === 'num' && Number.isInteger(tok.v)) {
      // `N G R` is one value: look two tokens ahead.
      const save = this.pos;
      const g = this.token();
      if (g?.t === 'num' && Number.isInteger(g.v)) {
        const r = this.token();
        if (r?.t === 'kw' && r.v === 'R') return { t: 'ref', n: tok.v, g: g.v };
      }
      this.pos = save;
    }
    if (tok.t === 'kw' && (tok.v === '>>' || tok.v === ']' || tok.v === ')' || tok.v === '}')) throw bad('PDF 语法');
    return tok;
  }
}

// ---- Filters ------------------------------------------------------------------------------------

const FILTERS: Record<string, string> = {
  ASCIIHexDecode: 'ASCIIHexDecode',
  AHx: 'ASCIIHexDecode',
  ASCII85Decode: 'ASCII85Decode',
  A85: 'ASCII85Decode',
  FlateDecode: 'FlateDecode',
  Fl: 'FlateDecode',
  LZWDecode: 'LZWDecode',
  LZW: 'LZWDecode',
  RunLengthDecode: 'RunLengthDecode',
  RL: 'RunLengthDecode',
  DCTDecode: 'DCTDecode',
  DCT: 'DCTDecode',
  JPXDecode: 'JPXDecode',
  JBIG2Decode: 'JBIG2Decode',
  CCITTFaxDecode: 'CCITTFaxDecode',
  CCF: 'CCITTFaxDecode',
};
/** Image codecs: their output is pixels, opaque to the check, and never holds objects. */
const IMAGE_FILTERS = new Set(['DCTDecode', 'JPXDecode', 'JBIG2Decode', 'CCITTFaxDecode']);

/** The stream's filter chain, by canonical name; anything else (Crypt, a reference) is refused. */
function filtersOf(dict: Dict): string[] {
  const f = dict.get('Filter');
  if (f === undefined) return [];
  const list = f.t === 'arr' ? f.v : [f];
  return list.map((x) => {
    const name = x.t === 'name' ? FILTERS[x.v] : undefined;
    if (!name) throw bad(`PDF 数据流使用了无法检查的编码${x.t === 'name' ? ` ${x.v.slice(0, 40)}` : ''}`);
    return name;
  });
}

function paramsOf(dict: Dict, n: number): (Dict | null)[] {
  const p = dict.get('DecodeParms') ?? dict.get('DP');
  if (p === undefined) return new Array<Dict | null>(n).fill(null);
  const list = p.t === 'arr' ? p.v : [p];
  return Array.from({ length: n }, (_, i) => {
    const x = list[i];
    if (x === undefined || (x.t === 'kw' && x.v === 'null')) return null;
    if (x.t !== 'dict') throw bad('PDF 解码参数');
    return x.v;
  });
}

interface Budget {
  left: number;
}

function spend(budget: Budget, n: number): void {
  budget.left -= n;
  if (budget.left < 0) throw new Refused('too-large', 'PDF 解压后超过上限');
}

export function decode(data: Buffer, filters: string[], params: (Dict | null)[], budget: Budget): Buffer {
  let out = data;
  filters.forEach((f, i) => {
    if (IMAGE_FILTERS.has(f)) throw bad('PDF 对象流使用了图像编码');
    out = decodeOne(f, out, params[i] ?? null, budget);
    if (f === 'FlateDecode' || f === 'LZWDecode') out = unpredict(out, params[i] ?? null);
  });
  return out;
}

function decodeOne(filter: string, data: Buffer, params: Dict | null, budget: Budget): Buffer {
  let out: Buffer;
  switch (filter) {
    case 'ASCIIHexDecode':
      out = asciiHex(data);
      break;
    case 'ASCII85Decode':
      out = ascii85(data);
      break;
    case 'FlateDecode':
      if (budget.left <= 0) throw new Refused('too-large', 'PDF 解压后超过上限');
      try {
        // Sync flush: a stream cut short still yields what it holds, as readers show it.
        out = zlib.inflateSync(data, {
          maxOutputLength: budget.left,
          finishFlush: zlib.constants.Z_SYNC_FLUSH,
        });
      } catch (e) {
        if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
          throw new Refused('too-large', 'PDF 解压后超过上限');
        throw bad('PDF 对象流无法解压');
      }
      break;
    case 'LZWDecode':
      out = lzw(data, budget.left, int(params, 'EarlyChange', 1));
      break;
    case 'RunLengthDecode':
      out = runLength(data, budget.left);
      break;
    default:
      throw bad('PDF 数据流使用了无法检查的编码');
  }
  spend(budget, out.length);
  return out;
}

const hexValue = (c: number): number =>
  c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;

export function asciiHex(data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(Math.ceil(data.length / 2));
  let n = 0;
  let high = -1;
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c === 0x3e) break;
    if (WS.has(c)) continue;
    const v = hexValue(c);
    if (v < 0) throw bad('PDF 十六进制编码');
    if (high < 0) high = v;
    else {
      out[n++] = (high << 4) | v;
      high = -1;
    }
  }
  if (high >= 0) out[n++] = high << 4;
  return out.subarray(0, n);
}

export function ascii85(data: Buffer): Buffer {
  // 'z' stands for four zero bytes: the most a character can become.
  const out = Buffer.allocUnsafe(4 * data.length + 4);
  let n = 0;
  const group: number[] = [];
  const flush = (count: number) => {
    let v = 0;
    for (let k = 0; k < 5; k++) v = v * 85 + (group[k] ?? 84);
    if (v > 0xffffffff) throw bad('PDF ASCII85 编码');
    for (let k = 0; k < count - 1; k++) out[n++] = (v >>> (24 - 8 * k)) & 0xff;
    group.length = 0;
  };
  let i = 0;
  for (; i < data.length; i++) {
    const c = data[i]!;
    if (WS.has(c)) continue;
    if (c === 0x7e) break;
    if (c === 0x7a && group.length === 0) {
      out.fill(0, n, n + 4);
      n += 4;
      continue;
    }
    if (c < 0x21 || c > 0x75) throw bad('PDF ASCII85 编码');
    group.push(c - 0x21);
    if (group.length === 5) flush(5);
  }
  if (group.length === 1) throw bad('PDF ASCII85 编码');
  if (group.length) flush(group.length);
  return out.subarray(0, n);
}

/** Output that grows by doubling, refusing to pass `max` bytes. */
class Sink {
  buf = Buffer.allocUnsafe(4096);
  n = 0;
  constructor(private readonly max: number) {}
  ensure(k: number): void {
    if (this.n + k > this.max) throw new Refused('too-large', 'PDF 解压后超过上限');
    if (this.n + k <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.min(Math.max(this.buf.length * 2, this.n + k), Math.max(this.max, 1)));
    this.buf.copy(next, 0, 0, this.n);
    this.buf = next;
  }
  done(): Buffer {
    return this.buf.subarray(0, this.n);
  }
}

/** LZW as PDF writes it: MSB-first codes of 9 to 12 bits, widened one code early by default. */
export function lzw(data: Buffer, max: number, earlyChange = 1): Buffer {
  if (earlyChange !== 0 && earlyChange !== 1) throw bad('PDF 解码参数');
  const sink = new Sink(max);
  const prefix = new Int32Array(4096);
  const suffix = new Uint8Array(4096);
  const length = new Int32Array(4096);
  for (let i = 0; i < 256; i++) {
    prefix[i] = -1;
    suffix[i] = i;
    length[i] = 1;
  }
  let next = 258;
  let codeLen = 9;
  let prev = -1;
  let bits = 0;
  let acc = 0;
  const firstOf = (code: number) => {
    while (prefix[code]! >= 0) code = prefix[code]!;
    return suffix[code]!;
  };
  const emit = (code: number) => {
    const len = length[code]!;
    sink.ensure(len);
    for (let k = len - 1, c = code; k >= 0; k--, c = prefix[c]!) sink.buf[sink.n + k] = suffix[c]!;
    sink.n += len;
  };
  for (let i = 0; i < data.length; i++) {
    acc = ((acc << 8) | data[i]!) & 0xffffff;
    bits += 8;
    while (bits >= codeLen) {
      const code = (acc >>> (bits - codeLen)) & ((1 << codeLen) - 1);
      bits -= codeLen;
      if (code === 256) {
        next = 258;
        codeLen = 9;
        prev = -1;
        continue;
      }
      if (code === 257) return sink.done();
      if (prev < 0) {
        if (code > 255) throw bad('PDF LZW 编码');
        emit(code);
        prev = code;
        continue;
      }
      if (code > next || (code === next && next >= 4096)) throw bad('PDF LZW 编码');
      const first = code < next ? firstOf(code) : firstOf(prev);
      if (next < 4096) {
        prefix[next] = prev;
        suffix[next] = first;
        length[next] = length[prev]! + 1;
        next++;
        if (next + earlyChange >= 1 << codeLen && codeLen < 12) codeLen++;
      }
      emit(code);
      prev = code;
    }
  }
  return sink.done();
}

export function runLength(data: Buffer, max: number): Buffer {
  const sink = new Sink(max);
  for (let i = 0; i < data.length;) {
    const len = data[i++]!;
    if (len === 128) break;
    if (len < 128) {
      if (i + len + 1 > data.length) throw bad('PDF 行程编码');
      sink.ensure(len + 1);
      data.copy(sink.buf, sink.n, i, i + len + 1);
      sink.n += len + 1;
      i += len + 1;
    } else {
      if (i >= data.length) throw bad('PDF 行程编码');
      sink.ensure(257 - len);
      sink.buf.fill(data[i]!, sink.n, sink.n + 257 - len);
      sink.n += 257 - len;
      i++;
    }
  }
  return sink.done();
}

const int = (d: Dict | null, key: string, dflt: number): number => {
  const v = d?.get(key);
  if (v === undefined) return dflt;
  if (v.t !== 'num' || !Number.isInteger(v.v) || v.v < 0) throw bad('PDF 解码参数');
  return v.v;
};

/** Undoes a TIFF (2) or PNG (10–15) predictor, which would otherwise hide the decoded text. */
export function unpredict(data: Buffer, params: Dict | null): Buffer {
  const predictor = int(params, 'Predictor', 1);
  if (predictor === 1) return data;
  const colors = int(params, 'Colors', 1);
  const bpc = int(params, 'BitsPerComponent', 8);
  const columns = int(params, 'Columns', 1);
  if (colors < 1 || colors > 32 || ![1, 2, 4, 8, 16].includes(bpc) || columns < 1 || columns > 1 << 24)
    throw bad('PDF 解码参数');
  const rowBytes = Math.ceil((columns * colors * bpc) / 8);
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  if (predictor === 2) {
    if (bpc !== 8) throw bad('PDF 解码参数');
    const out = Buffer.from(data);
    for (let row = 0; row < out.length; row += rowBytes)
      for (let i = row + bpp; i < Math.min(row + rowBytes, out.length); i++) out[i] = (out[i]! + out[i - bpp]!) & 0xff;
    return out;
  }
  if (predictor < 10 || predictor > 15) throw bad('PDF 解码参数');
  const rows = Math.floor(data.length / (rowBytes + 1));
  const out = Buffer.alloc(rows * rowBytes);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowBytes + 1)]!;
    const src = r * (rowBytes + 1) + 1;
    const dst = r * rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      const x = data[src + i]!;
      const a = i >= bpp ? out[dst + i - bpp]! : 0;
      const b = r > 0 ? out[dst - rowBytes + i]! : 0;
      const c = r > 0 && i >= bpp ? out[dst - rowBytes + i - bpp]! : 0;
      let v: number;
      if (type === 0) v = x;
      else if (type === 1) v = x + a;
      else if (type === 2) v = x + b;
      else if (type === 3) v = x + ((a + b) >> 1);
      else if (type === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      } else throw bad('PDF 预测编码');
      out[dst + i] = v & 0xff;
    }
  }
  return out;
}
