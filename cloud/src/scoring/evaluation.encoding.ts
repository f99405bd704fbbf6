import type { Effect, Evaluation } from '@heihe/shared';
import { BINARY_COPY_HEADER, PG_EPOCH_MS } from '../db/binary-copy';

/**
 * One stored effect: `"indicator,recordId,version,points,reason"` (recordId and version empty for
 * an effect of the rule itself; indicator -1 for a group cap), e.g. `"5,8,1,-15,decay"`. A string
 * per effect rather than a five-element array: PostgreSQL parses a JSON string into jsonb several
 * times faster than five numbers (each a `numeric`), and the cycle writes ~20 effects per entity —
 * with arrays, parsing the chunk's document was half of its write.
 */
export type CompactEffect = string;

function compactEffect(indicator: number, f: Effect): CompactEffect {
  return `${indicator},${f.recordId ?? ''},${f.version ?? ''},${f.points},${f.reason}`;
}

/** The stored explanation: every effect of every indicator (and group caps, indicator -1). */
export function compactEffects(e: Evaluation): CompactEffect[] {
  const out: CompactEffect[] = [];
  e.indicators.forEach((ind, i) => {
    for (const f of ind.effects) out.push(compactEffect(i, f));
  });
  for (const g of e.groups) for (const f of g.effects) out.push(compactEffect(-1, f));
  return out;
}

/** Whether a stored explanation is exactly the one `e` gives. */
export function sameEffects(e: Evaluation, stored: unknown): boolean {
  const now = compactEffects(e);
  return Array.isArray(stored) && stored.length === now.length && stored.every((x, i) => x === now[i]);
}

const COMMA = 0x2c;
const QUOTE = 0x22;

/**
 * A growable byte buffer, written without intermediate strings: the cycle encodes ~20 effects per
 * entity, and building them as strings was most of its garbage. `byte`, `int`, `i16`, `i32` and
 * `i64` do not check for room: their callers `reserve` for a whole effect or row first (the check
 * per byte was a tenth of the encoding).
 */
class ByteOut {
  buf: Buffer;
  length = 0;

  constructor(initialBytes: number) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Room for at least `n` more bytes. */
  reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(grown, 0, 0, this.length);
    this.buf = grown;
  }

  /** Unchecked: see `reserve`. */
  byte(c: number): void {
    this.buf[this.length++] = c;
  }

  /** Big-endian, unchecked. */
  i16(n: number): void {
    const b = this.buf;
    b[this.length++] = (n >> 8) & 0xff;
    b[this.length++] = n & 0xff;
  }

  /** Big-endian, unchecked. */
  i32(n: number): void {
    this.setI32(this.length, n);
    this.length += 4;
  }

  setI32(at: number, n: number): void {
    const b = this.buf;
    b[at] = (n >>> 24) & 0xff;
    b[at + 1] = (n >>> 16) & 0xff;
    b[at + 2] = (n >>> 8) & 0xff;
    b[at + 3] = n & 0xff;
  }

  /** A safe integer as a big-endian int64, unchecked. */
  i64(n: number): void {
    const hi = Math.floor(n / 0x1_0000_0000);
    this.i32(hi);
    this.i32(n - hi * 0x1_0000_0000);
  }

  /** Opens a field of PostgreSQL's binary COPY format: room for its length, written by `closeField`. */
  openField(): number {
    const at = this.length;
    this.length += 4;
    return at;
  }

  closeField(at: number): void {
    this.setI32(at, this.length - at - 4);
  }

  /** ASCII only: every caller writes digits, grade letters and reason codes. */
  text(s: string): void {
    this.reserve(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.length++] = s.charCodeAt(i);
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    for (let i = 0; i < b.length; i++) this.buf[this.length++] = b[i]!;
  }

  /**
   * Whole numbers in int4 range (points, ids, versions) digit by digit, at most 11 bytes,
   * unchecked (see `reserve`); anything else as String(n), checked.
   */
  int(n: number): void {
    if (!Number.isInteger(n) || n > 0x7fffffff || n < -0x7fffffff) return this.text(String(n));
    const b = this.buf;
    let p = this.length;
    if (n < 0) {
      b[p++] = 0x2d;
      n = -n;
    }
    let digits = 1;
    for (let x = n; x >= 10; x = (x / 10) | 0) digits++;
    p += digits;
    this.length = p;
    do {
      const q = (n / 10) | 0;
      b[--p] = 0x30 + n - q * 10;
      n = q;
    } while (n > 0);
  }
}

/** At most this many bytes of an effect besides its reason: a leading comma, quotes, four int4 and four commas. */
const EFFECT_BYTES = 1 + 2 + 4 * 11 + 4;

/** One effect as `compactEffect` spells it, inside JSON quotes, after a comma unless it is the first. */
function writeEffect(out: ByteOut, first: boolean, indicator: number, f: Effect): void {
  out.reserve(EFFECT_BYTES + f.reason.length);
  if (!first) out.byte(COMMA);
  out.byte(QUOTE);
  out.int(indicator);
  out.byte(COMMA);
  if (f.recordId !== null) out.int(f.recordId);
  out.byte(COMMA);
  if (f.version !== null) out.int(f.version);
  out.byte(COMMA);
  out.int(f.points);
  out.byte(COMMA);
  for (let i = 0; i < f.reason.length; i++) out.byte(f.reason.charCodeAt(i));
  out.byte(QUOTE);
}

/** A JSON array of the points of `parts`, as one binary COPY field. */
function writePoints(out: ByteOut, parts: readonly { points: number }[]): void {
  out.reserve(4 + 2 + 12 * parts.length);
  const at = out.openField();
  out.byte(0x5b);
  for (let i = 0; i < parts.length; i++) {
    if (i) out.byte(COMMA);
    out.int(parts[i]!.points);
  }
  out.byte(0x5d);
  out.closeField(at);
}

/**
 * The three stored JSON columns of an evaluation — group points, indicator points, effects — as
 * binary COPY fields (json's binary form is its text). Every value is a number, or an effect
 * string of numbers and a reason code: nothing needs escaping.
 */
function writeStored(out: ByteOut, ev: Evaluation): void {
  writePoints(out, ev.groups);
  writePoints(out, ev.indicators);
  out.reserve(4 + 1);
  const at = out.openField();
  out.byte(0x5b);
  let first = true;
  ev.indicators.forEach((x, i) => {
    for (const f of x.effects) {
      writeEffect(out, first, i, f);
      first = false;
    }
  });
  for (const g of ev.groups)
    for (const f of g.effects) {
      writeEffect(out, first, -1, f);
      first = false;
    }
  out.reserve(1);
  out.byte(0x5d);
  out.closeField(at);
}

export interface EncodeMeta {
  asOf: Date;
  trigger: string;
  cycleId: number | null;
}

/** The columns of an encoded row, in order. */
export const EVALUATION_COLUMNS = [
  'id',
  'entity_id',
  'bucket',
  'model_version',
  'as_of',
  'cycle_id',
  'trigger',
  'total',
  'grade',
  'groups',
  'indicators',
  'effects',
] as const;

/** The rows a batch will write, in order: each entity with its bucket and its reserved evaluation id. */
export interface EncoderSlots {
  entityIds: ArrayLike<number>;
  /** Each entity's bucket (ADR 0025), written in its evaluation row. */
  buckets: ArrayLike<number>;
  evaluationIds: readonly string[];
}

/** A batch's evaluations in binary COPY format, and what the current scores need. */
export interface EncodedEvaluations {
  /** PostgreSQL's binary COPY of EVALUATION_COLUMNS: one row per evaluation, in the order of the batch's slots. */
  copy: Uint8Array;
  totals: number[];
  grades: string[];
  /** Null only when the batch is empty. */
  modelVersion: number | null;
}

/**
 * Encodes a batch of evaluations under one model and one as-of instant — a cycle chunk's, or a
 * re-score's — in PostgreSQL's binary COPY format (the server reads it a quarter faster than the
 * text format: no numbers or instants to parse), each row as soon as it is scored, into a Buffer
 * (off the JS heap), so nothing per entity outlives it. Entities are added in the order of the
 * slots' `entityIds`; each row gets the bucket and the reserved id at its position. Pure: the cycle runs it in its
 * scoring thread.
 */
export class EvaluationEncoder {
  private readonly out: ByteOut;
  private readonly totals: number[] = [];
  private readonly grades: string[] = [];
  private modelVersion: number | null = null;
  /** The fields every row shares: as-of, cycle, trigger. */
  private readonly shared: Buffer;

  constructor(
    meta: EncodeMeta,
    private readonly slots: EncoderSlots,
    /** The first buffer's size: it doubles as needed. */
    initialBytes = 1 << 16,
  ) {
    this.out = new ByteOut(initialBytes);
    this.out.bytes(BINARY_COPY_HEADER);
    const trigger = Buffer.from(meta.trigger, 'utf8');
    const shared = new ByteOut(32 + trigger.length);
    shared.i32(8);
    shared.i64((meta.asOf.getTime() - PG_EPOCH_MS) * 1000);
    if (meta.cycleId === null) shared.i32(-1);
    else {
      shared.i32(4);
      shared.i32(meta.cycleId);
    }
    shared.i32(trigger.length);
    shared.bytes(trigger);
    this.shared = shared.buf.subarray(0, shared.length);
  }

  add(entityId: number, ev: Evaluation): void {
    const i = this.totals.length;
    if (this.slots.entityIds[i] !== entityId)
      throw new Error(`evaluation of entity ${entityId} added where slot ${i} is ${this.slots.entityIds[i]}`);
    if (this.modelVersion === null) this.modelVersion = ev.modelVersion;
    else if (ev.modelVersion !== this.modelVersion)
      throw new Error(`one batch, one model: ${ev.modelVersion} after ${this.modelVersion}`);
    const id = Number(this.slots.evaluationIds[i]);
    if (!Number.isSafeInteger(id)) throw new Error(`evaluation id out of range: ${this.slots.evaluationIds[i]}`);
    const bucket = this.slots.buckets[i];
    if (bucket === undefined || !Number.isInteger(bucket) || bucket < 0 || bucket > 0x7fff)
      throw new Error(`bucket of slot ${i} out of range: ${bucket}`);
    const out = this.out;
    out.reserve(2 + 12 + 6 + 8 + 8);
    out.i16(EVALUATION_COLUMNS.length);
    out.i32(8);
    out.i64(id);
    out.i32(4);
    out.i32(entityId);
    out.i32(2);
    out.i16(bucket);
    out.i32(4);
    out.i32(ev.modelVersion);
    out.bytes(this.shared);
    out.reserve(8 + 4);
    out.i32(4);
    out.i32(ev.total);
    out.i32(ev.grade.length);
    out.text(ev.grade);
    writeStored(out, ev);
    this.totals.push(ev.total);
    this.grades.push(ev.grade);
  }

  done(): EncodedEvaluations {
    this.out.reserve(2);
    this.out.i16(-1);
    return {
      copy: this.out.buf.subarray(0, this.out.length),
      totals: this.totals,
      grades: this.grades,
      modelVersion: this.modelVersion,
    };
  }
}
