import type { Effect, Evaluation } from '@heihe/shared';
import { copyText } from '../db/copy-text';

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
const TAB = 0x09;
const NEWLINE = 0x0a;

/**
 * A growable byte buffer of ASCII text, written without intermediate strings: the cycle encodes
 * ~20 effects per entity, and building them as strings was most of its garbage. `byte` and `int`
 * do not check for room: their callers `reserve` for a whole effect or row first (the check per
 * byte was a tenth of the encoding).
 */
class AsciiOut {
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

  /** ASCII only: every caller writes digits, grade letters, reason codes and ISO instants. */
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
function writeEffect(out: AsciiOut, first: boolean, indicator: number, f: Effect): void {
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

/**
 * The three stored JSON columns of an evaluation — group points, indicator points, effects —
 * as COPY text columns. Every value is a number, or an effect string of numbers and a reason code:
 * nothing needs escaping, in JSON or in COPY text.
 */
function writeStored(out: AsciiOut, ev: Evaluation): void {
  // Both point lists: brackets, a tab, and an int4 and a comma each; then the effects' bracket.
  out.reserve(6 + 12 * (ev.groups.length + ev.indicators.length));
  out.byte(0x5b);
  ev.groups.forEach((g, i) => {
    if (i) out.byte(COMMA);
    out.int(g.points);
  });
  out.byte(0x5d);
  out.byte(TAB);
  out.byte(0x5b);
  ev.indicators.forEach((x, i) => {
    if (i) out.byte(COMMA);
    out.int(x.points);
  });
  out.byte(0x5d);
  out.byte(TAB);
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
}

export interface EncodeMeta {
  asOf: Date;
  trigger: string;
  cycleId: number | null;
}

/** A batch's evaluations as COPY text rows of EVALUATION_COLUMNS, and what the current scores need. */
export interface EncodedEvaluations {
  /** One line per evaluation, in the order of the batch's slots. */
  copy: Uint8Array;
  totals: number[];
  grades: string[];
  /** Null only when the batch is empty. */
  modelVersion: number | null;
}

/**
 * Encodes a batch of evaluations under one model and one as-of instant — a cycle chunk's, or a
 * re-score's — as COPY text rows, each as soon as it is scored, into a Buffer (off the JS heap), so
 * no string per entity outlives it. Entities are added in the order of `entityIds`; each row gets
 * the reserved id at its position. Pure: the cycle runs it in its scoring thread.
 */
export class EvaluationEncoder {
  private readonly out: AsciiOut;
  private readonly totals: number[] = [];
  private readonly grades: string[] = [];
  private modelVersion: number | null = null;
  /** The columns every row shares, as COPY text: as-of, cycle, trigger. */
  private readonly shared: Buffer;

  constructor(
    meta: EncodeMeta,
    private readonly entityIds: ArrayLike<number>,
    private readonly evaluationIds: readonly string[],
    /** The first buffer's size: it doubles as needed. */
    initialBytes = 1 << 16,
  ) {
    this.out = new AsciiOut(initialBytes);
    this.shared = Buffer.from(
      `\t${meta.asOf.toISOString()}\t${copyText(meta.cycleId)}\t${copyText(meta.trigger)}\t`,
      'utf8',
    );
  }

  add(entityId: number, ev: Evaluation): void {
    const i = this.totals.length;
    if (this.entityIds[i] !== entityId)
      throw new Error(`evaluation of entity ${entityId} added where slot ${i} is ${this.entityIds[i]}`);
    if (this.modelVersion === null) this.modelVersion = ev.modelVersion;
    else if (ev.modelVersion !== this.modelVersion)
      throw new Error(`one batch, one model: ${ev.modelVersion} after ${this.modelVersion}`);
    const out = this.out;
    out.text(this.evaluationIds[i]!);
    out.reserve(2 * 12);
    out.byte(TAB);
    out.int(entityId);
    out.byte(TAB);
    out.int(ev.modelVersion);
    out.bytes(this.shared);
    out.reserve(11 + 2);
    out.int(ev.total);
    out.byte(TAB);
    out.text(ev.grade);
    out.reserve(1);
    out.byte(TAB);
    writeStored(out, ev);
    out.reserve(1);
    out.byte(NEWLINE);
    this.totals.push(ev.total);
    this.grades.push(ev.grade);
  }

  done(): EncodedEvaluations {
    return {
      copy: this.out.buf.subarray(0, this.out.length),
      totals: this.totals,
      grades: this.grades,
      modelVersion: this.modelVersion,
    };
  }
}
