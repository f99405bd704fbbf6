import type { CreditFact, RecordKind, RecordStatus, Severity } from '@heihe/shared';
import { BINARY_COPY_SIGNATURE, PG_EPOCH_DAYS } from '../db/binary-copy';

/** The number of columns of a fact row: FACT_COLUMNS in facts.repository.ts. */
const FACT_FIELDS = 12;
const DATE_INFINITY = 0x7fffffff;
const DATE_NEG_INFINITY = -0x80000000;

/** A date as PostgreSQL's `date::text` gives it (DateStyle ISO), from binary days since 2000-01-01. */
function pgDateText(pgDays: number): string {
  if (pgDays === DATE_INFINITY) return 'infinity';
  if (pgDays === DATE_NEG_INFINITY) return '-infinity';
  const d = new Date((pgDays + PG_EPOCH_DAYS) * 86_400_000);
  const y = d.getUTCFullYear();
  const md = `-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
  return y > 0 ? `${String(y).padStart(4, '0')}${md}` : `${String(1 - y).padStart(4, '0')}${md} BC`;
}

/**
 * The short texts of a fact column (kinds, statuses, severities, categories, grades) repeat all
 * the time: each distinct one is decoded once. A direct-mapped table, one per column, by the
 * length and three of the bytes (a column has a few dozen distinct values), checked against the
 * cached bytes, so a collision only costs a decode. The check reads four bytes at a time (byte by
 * byte, it was a tenth of the decoding).
 */
class TextCache {
  private static readonly SIZE = 256;
  /** Texts longer than this are decoded every time. */
  private static readonly KEY_BYTES = 64;
  /** Each slot's bytes, at slot × KEY_BYTES, and their length (-1: empty). */
  private readonly keys = Buffer.alloc(TextCache.SIZE * TextCache.KEY_BYTES);
  private readonly keyView = new DataView(this.keys.buffer, this.keys.byteOffset, this.keys.byteLength);
  private readonly lengths = new Int32Array(TextCache.SIZE).fill(-1);
  private readonly texts = new Array<string>(TextCache.SIZE).fill('');

  /** The text of `len` bytes at `start` of `b`; `v` views `b`. */
  get(b: Buffer, v: DataView, start: number, len: number): string {
    if (len === 0) return '';
    const slot = (len * 31 + b[start]! * 7 + b[start + (len >> 1)]! * 13 + b[start + len - 1]!) & (TextCache.SIZE - 1);
    if (this.lengths[slot] === len) {
      const keys = this.keys;
      const at = slot * TextCache.KEY_BYTES;
      let i = 0;
      while (i + 4 <= len && this.keyView.getInt32(at + i) === v.getInt32(start + i)) i += 4;
      while (i < len && keys[at + i] === b[start + i]) i++;
      if (i === len) return this.texts[slot]!;
    }
    const text = b.toString('utf8', start, start + len);
    if (len <= TextCache.KEY_BYTES) {
      b.copy(this.keys, slot * TextCache.KEY_BYTES, start, start + len);
      this.lengths[slot] = len;
      this.texts[slot] = text;
    }
    return text;
  }
}

/**
 * Dates repeat across entities (a few thousand distinct days): one string each, by day number in
 * an array for the years 1900-2099 (an array index, where a Map lookup per date was a tenth of the
 * decoding), in a Map for any other day.
 */
const DATE_BASE = -36_524; // 1900-01-01 in PostgreSQL's days since 2000-01-01
const DATE_SPAN = 73_049; // to 2099-12-31
const DATE_TEXTS = new Array<string | undefined>(DATE_SPAN).fill(undefined);
const OTHER_DATE_TEXTS = new Map<number, string>();

function dateText(pgDays: number): string {
  const k = pgDays - DATE_BASE;
  if (k >= 0 && k < DATE_SPAN) return (DATE_TEXTS[k] ??= pgDateText(pgDays));
  let s = OTHER_DATE_TEXTS.get(pgDays);
  if (s === undefined) {
    s = pgDateText(pgDays);
    if (OTHER_DATE_TEXTS.size < 100_000) OTHER_DATE_TEXTS.set(pgDays, s);
  }
  return s;
}

/**
 * Binary COPY rows of FACT_COLUMNS, grouped by entity without sorting on the server: the rows of
 * a chunk come in heap order, so the entity's versions need not be adjacent. One pass records
 * where each row starts and whose it is; a counting sort by entity puts the offsets in entity
 * order; facts are decoded one entity at a time. The copy stays in one Buffer, off the JS heap.
 */
class FactRows {
  private readonly kinds = new TextCache();
  private readonly statuses = new TextCache();
  private readonly categories = new TextCache();
  private readonly severities = new TextCache();
  private readonly grades = new TextCache();
  /**
   * Big-endian reads through a DataView: V8 compiles getInt32 / getFloat64 to one load and a byte
   * swap, where assembling four bytes (or Buffer#readInt32BE, with its checks) costs several.
   */
  private readonly view: DataView;
  /** The read position of `fact` within a row. */
  private at = 0;

  constructor(private readonly buf: Buffer) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Row start offsets, and each row's entity id. */
  scan(): { starts: Int32Array; entities: Int32Array; n: number } {
    const b = this.buf;
    const v = this.view;
    if (b.length < 19 || b.compare(BINARY_COPY_SIGNATURE, 0, 11, 0, 11) !== 0) throw new Error('not a binary COPY');
    let p = 15;
    p += 4 + v.getInt32(p);
    let starts = new Int32Array(1024);
    let entities = new Int32Array(1024);
    let n = 0;
    for (;;) {
      if (p + 2 > b.length) throw new Error('binary COPY cut short');
      const fields = v.getUint16(p);
      if (fields === 0xffff) break;
      if (fields !== FACT_FIELDS) throw new Error(`binary COPY row with ${fields} fields`);
      if (n === starts.length) {
        const s2 = new Int32Array(n * 2);
        s2.set(starts);
        starts = s2;
        const e2 = new Int32Array(n * 2);
        e2.set(entities);
        entities = e2;
      }
      starts[n] = p;
      entities[n] = v.getInt32(p + 6); // entity_id: never null
      n++;
      p += 2;
      for (let f = 0; f < FACT_FIELDS; f++) {
        const len = v.getInt32(p);
        p += 4 + (len > 0 ? len : 0);
      }
    }
    return { starts, entities, n };
  }

  /** The fact whose row starts at `p`. Only entity_id, record_id, version and occurred_on are NOT NULL. */
  fact(p: number): CreditFact {
    const v = this.view;
    // Field count (2 bytes), then each field as its length (4) and its bytes: entity_id and
    // version are int4, record_id int8 (ADR 0023; exact as a number below 2^53: ids are far below).
    const recordId = v.getInt32(p + 14) * 0x1_0000_0000 + v.getUint32(p + 18);
    const version = v.getInt32(p + 26);
    this.at = p + 30;
    const kind = this.text(this.kinds) as RecordKind;
    const status = this.text(this.statuses) as RecordStatus;
    const category = this.text(this.categories);
    const severity = this.text(this.severities) as Severity | null;
    p = this.at;
    let len = v.getInt32(p);
    const amount = len < 0 ? null : v.getFloat64(p + 4);
    this.at = p + 4 + (len > 0 ? len : 0);
    const grade = this.text(this.grades);
    p = this.at;
    const occurredOn = dateText(v.getInt32(p + 4));
    const validFrom = dateText(v.getInt32(p + 12));
    len = v.getInt32(p + 16);
    const validTo = len < 0 ? null : dateText(v.getInt32(p + 20));
    return { recordId, version, kind, status, category, severity, amount, grade, occurredOn, validFrom, validTo };
  }

  /** The text field at the read position (null for NULL), which moves past it. */
  private text(cache: TextCache): string | null {
    const p = this.at;
    const len = this.view.getInt32(p);
    if (len < 0) {
      this.at = p + 4;
      return null;
    }
    this.at = p + 4 + len;
    return cache.get(this.buf, this.view, p + 4, len);
  }
}

/**
 * Calls `fn` with the facts of each of `ids` (sorted, all within [from, to]) found in `copy`, a
 * binary COPY of FACT_COLUMNS rows for that range, in the order of `ids` (an entity without rows
 * gets an empty list; its facts not necessarily in record order: the engine orders them). Each
 * entity's facts are decoded only when its turn comes, so a caller that scores and encodes them at
 * once keeps nothing of the entity alive (the cycle's hot path: millions of versions). Pure: runs
 * in the cycle's scoring thread.
 */
export function forEachFactInCopy(
  copy: Buffer,
  ids: ArrayLike<number>,
  from: number,
  to: number,
  fn: (entityId: number, facts: CreditFact[]) => void,
): void {
  const rows = new FactRows(copy);
  const { starts, entities, n } = rows.scan();
  // Counting sort of the rows by the entity's position in `ids` (ids are dense in a chunk's range:
  // a table by id offset, else a map).
  const span = to - from + 1;
  const table = span <= 4 * ids.length + 1024 ? new Int32Array(span).fill(-1) : null;
  const map = table === null ? new Map<number, number>() : null;
  for (let i = 0; i < ids.length; i++) {
    if (table !== null) table[ids[i]! - from] = i;
    else map!.set(ids[i]!, i);
  }
  const first = new Int32Array(ids.length + 1);
  const at = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const e = entities[r]!;
    // -1: a version of an entity created after the id list was read, not part of this chunk.
    const i = table !== null ? (e >= from && e <= to ? table[e - from]! : -1) : (map!.get(e) ?? -1);
    at[r] = i;
    if (i >= 0) first[i + 1]!++;
  }
  for (let i = 0; i < ids.length; i++) first[i + 1]! += first[i]!;
  const fill = first.slice(0, ids.length);
  const order = new Int32Array(first[ids.length]!);
  for (let r = 0; r < n; r++) if (at[r]! >= 0) order[fill[at[r]!]!++] = starts[r]!;
  for (let i = 0; i < ids.length; i++) {
    const facts: CreditFact[] = [];
    for (let k = first[i]!; k < first[i + 1]!; k++) facts.push(rows.fact(order[k]!));
    fn(ids[i]!, facts);
  }
}
