import crypto from 'node:crypto';
import { checkUscc, deliveryKeySchema, parseIngestRow, type IngestRow, type RowError } from '@heihe/shared';
import { copyText } from '../db/copy-text';
import { usccBucket } from '../db/shard';
import type { PiiVault, SealedIdNumber } from '../pii';
import { STAGE_COLUMNS, type StageColumn } from './stage';

export interface RawLine {
  line: number;
  raw: unknown;
  /** Set when the line could not even be parsed (bad JSON, bad CSV quoting). */
  error?: string;
}

export interface ChunkResult {
  inserted: number;
  versioned: number;
  unchanged: number;
  rejected: number;
  errors: RowError[];
  /** Rows a later row of the same delivery replaced (same source key): never validated or written. */
  superseded: number;
  supersededLines: Supersession[];
  /** Entities whose scoring inputs changed: the dynamic re-score takes these. */
  changedEntityIds: number[];
}

/** A chunk validated, hashed and encoded for COPY: the CPU half, which overlaps the previous chunk's write. */
export interface PreparedChunk {
  lines: number;
  res: ChunkResult;
  /** The valid rows as COPY text for `ingest_stage`, each source key at most once. */
  stage: string;
  /** The buckets of the staged rows' USCCs, ascending: the chunk locks these (ADR 0024). */
  buckets: number[];
}

/** A delivered line that a later line with the same (source system, source ID) replaced. */
export interface Supersession {
  line: number;
  by: number;
}

/**
 * The idempotency key of a delivered row, read from the row as delivered (before validation), so
 * that a later row replaces the earlier ones with its key whether or not either is valid. A row
 * without both as strings (or a line that could not be parsed) has no key and replaces nothing.
 */
export function deliveryKey(raw: unknown): string | undefined {
  // A row without a valid key is rejected on its own; it cannot replace, or be replaced by, another.
  const key = deliveryKeySchema.safeParse(raw);
  if (!key.success) return undefined;
  const { sourceSystem, sourceId } = key.data;
  return `${sourceSystem.length}:${sourceSystem}${sourceId}`;
}

/**
 * Which lines of a delivery a later line with the same key replaces — the last row per key wins —
 * in one pass over the lines, in delivery order. Remembers every key it saw (the keys of one
 * delivery), and the replaced lines.
 */
export class RepeatedKeys {
  private readonly last = new Map<string, number>();
  private readonly replaced = new Map<number, string>();

  /** Adds a line; returns the line it replaces, if any. */
  add(l: RawLine): number | undefined {
    const key = l.error ? undefined : deliveryKey(l.raw);
    if (key === undefined) return undefined;
    const earlier = this.last.get(key);
    if (earlier !== undefined) this.replaced.set(earlier, key);
    this.last.set(key, l.line);
    return earlier;
  }

  /** Every replaced line, with the line that finally replaces it (the last with its key). */
  superseded(): Map<number, number> {
    const out = new Map<number, number>();
    for (const [line, key] of this.replaced) out.set(line, this.last.get(key)!);
    return out;
  }

  static of(lines: Iterable<RawLine>): Map<number, number> {
    const keys = new RepeatedKeys();
    for (const l of lines) keys.add(l);
    return keys.superseded();
  }
}

/**
 * Content hash of a delivered row: a re-delivery with the same hash adds nothing. The sha256 of the
 * row as JSON with its keys sorted (`JSON.stringify(row, Object.keys(row).sort())`, which stored
 * hashes were taken of); `parseIngestRow` gives the keys in that order already, so no per-row sort.
 */
export function contentHash(row: IngestRow): string {
  return crypto.hash('sha256', JSON.stringify(row), 'hex');
}

type Cell = string | number | boolean | null | undefined;

/**
 * Validates, hashes and encodes a chunk of delivered lines for COPY into `ingest_stage`: the CPU
 * half of ingestion, with no database, so a worker thread can do it while the previous chunk is
 * written (see `file-prepare.worker.ts`). `superseded` (line → the line replacing it) is the whole
 * delivery's when the caller knows it, so that a repeat across chunks is resolved too; by default,
 * the chunk's own. A superseded line is only counted and listed.
 */
export function prepareChunk(
  lines: RawLine[],
  vault: PiiVault,
  superseded: ReadonlyMap<number, number> = RepeatedKeys.of(lines),
): PreparedChunk {
  const res: ChunkResult = {
    inserted: 0,
    versioned: 0,
    unchanged: 0,
    rejected: 0,
    errors: [],
    superseded: 0,
    supersededLines: [],
    changedEntityIds: [],
  };
  const sealed = new Map<string, SealedIdNumber>();
  const seal = (idNumber: string) => {
    let s = sealed.get(idNumber);
    if (!s) sealed.set(idNumber, (s = vault.seal(idNumber)));
    return s;
  };
  const stage: string[] = [];
  const buckets = new Map<string, number>();
  for (const l of lines) {
    const by = superseded.get(l.line);
    if (by !== undefined) {
      res.superseded++;
      res.supersededLines.push({ line: l.line, by });
      continue;
    }
    if (l.error) {
      res.rejected++;
      res.errors.push({ line: l.line, field: '(line)', reason: l.error });
      continue;
    }
    const p = parseIngestRow(l.raw, l.line);
    if (!p.ok) {
      res.rejected++;
      res.errors.push(...p.errors);
      continue;
    }
    stage.push(encodeStageRow(l.line, p.row, contentHash(p.row), seal));
    if (!buckets.has(p.row.uscc)) buckets.set(p.row.uscc, usccBucket(p.row.uscc));
  }
  return {
    lines: lines.length,
    res,
    stage: stage.length ? `${stage.join('\n')}\n` : '',
    buckets: [...new Set(buckets.values())].sort((a, b) => a - b),
  };
}

const COLUMN = Object.fromEntries(STAGE_COLUMNS.map((c, i) => [c, i])) as Record<StageColumn, number>;
const ALL_NULL: string[] = STAGE_COLUMNS.map(() => '\\N');

/** One valid row as a line of `ingest_stage` (COPY text format, columns in STAGE_COLUMNS order). */
function encodeStageRow(
  line: number,
  row: IngestRow,
  hash: string,
  seal: (idNumber: string) => SealedIdNumber,
): string {
  const cells = ALL_NULL.slice();
  const set = (column: StageColumn, v: Cell) => {
    if (v !== null && v !== undefined) cells[COLUMN[column]] = typeof v === 'string' ? copyText(v) : String(v);
  };
  const person = (name: string, idNumber: string) => {
    const s = seal(idNumber);
    set('person_name', name);
    set('person_hash', s.hash);
    set('person_cipher', s.cipher);
    set('person_masked', s.masked);
    return s;
  };
  set('line', line);
  set('type', row.type);
  set('source_system', row.sourceSystem);
  set('source_id', row.sourceId);
  set('uscc', row.uscc);
  set('content_hash', hash);
  switch (row.type) {
    case 'registration': {
      const rep = person(row.legalRepName, row.legalRepIdNumber);
      const u = checkUscc(row.uscc);
      set('kind', 'registration');
      set('status', 'active');
      set('entity_status', row.status);
      set('category', row.entityType);
      set('amount', row.paidInCapital);
      set('occurred_on', row.establishedOn);
      set('valid_from', row.establishedOn);
      // The person's ID number never enters a record payload: the payload keeps only its keyed hash.
      set(
        'payload',
        JSON.stringify({
          name: row.name,
          entityType: row.entityType,
          status: row.status,
          registeredCapital: row.registeredCapital,
          industryCode: row.industryCode,
          regionCode: row.regionCode,
          legalRepName: row.legalRepName,
          legalRepIdHash: rep.hash,
        }),
      );
      set('name', row.name);
      set('entity_type', row.entityType);
      set('established_on', row.establishedOn);
      set('registered_capital', row.registeredCapital);
      set('uscc_checksum_ok', u.ok && u.checksumOk);
      set('industry_code', row.industryCode);
      set('region_code', row.regionCode);
      break;
    }
    case 'record':
      // Typed columns carry the scoring inputs; the payload keeps the rest of the delivery.
      set('kind', row.kind);
      set('status', row.status);
      set('category', row.category);
      set('severity', row.severity);
      set('amount', row.amount);
      set('grade', row.grade);
      set('occurred_on', row.occurredOn);
      set('valid_from', row.validFrom ?? row.occurredOn);
      set('valid_to', row.validTo);
      set(
        'payload',
        JSON.stringify({
          documentNo: row.documentNo ?? null,
          authority: row.authority ?? null,
          summary: row.summary ?? null,
          content: row.content ?? null,
          legalBasis: row.legalBasis ?? null,
        }),
      );
      break;
    case 'shareholder':
      if (row.holderIdNumber) person(row.holderName, row.holderIdNumber);
      set('amount', row.amount);
      set('counterpart_uscc', row.holderUscc);
      set('counterpart_name', row.holderName);
      set('ratio', row.ratio);
      break;
    case 'investment':
      set('amount', row.amount);
      set('counterpart_uscc', row.investeeUscc);
      set('counterpart_name', row.investeeName);
      set('ratio', row.ratio);
      break;
    case 'financing':
      set('amount', row.amount);
      set('occurred_on', row.occurredOn);
      set('round', row.round);
      set('investors', row.investors);
      break;
    case 'key_person':
      person(row.name, row.idNumber);
      set('role', row.role);
      break;
  }
  return cells.join('\t');
}
