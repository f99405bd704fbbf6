import crypto from 'node:crypto';
import { checkUscc, parseIngestRow, type IngestRow, type RowError } from '@heihe/shared';
import { copyText } from '../db/copy-text';
import type { PiiVault, SealedIdNumber } from '../pii/pii';
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
  /** Entities whose scoring inputs changed: the dynamic re-score takes these. */
  changedEntityIds: number[];
}

/** A chunk validated, hashed and encoded for COPY: the CPU half, which overlaps the previous chunk's write. */
export interface PreparedChunk {
  lines: number;
  res: ChunkResult;
  /** The valid rows as COPY text for `ingest_stage`. */
  stage: string;
  /** How many passes the chunk needs: a source key delivered twice goes to the next pass. */
  passes: number;
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
 * written (see `file-prepare.worker.ts`).
 */
export function prepareChunk(lines: RawLine[], vault: PiiVault): PreparedChunk {
  const res: ChunkResult = { inserted: 0, versioned: 0, unchanged: 0, rejected: 0, errors: [], changedEntityIds: [] };
  const passOf = new Map<string, number>();
  const sealed = new Map<string, SealedIdNumber>();
  const seal = (idNumber: string) => {
    let s = sealed.get(idNumber);
    if (!s) sealed.set(idNumber, (s = vault.seal(idNumber)));
    return s;
  };
  const stage: string[] = [];
  let passes = 0;
  for (const l of lines) {
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
    const row = p.row;
    // The same source key twice in one chunk: the later row goes to a following pass, so each
    // pass sees every key once and versions stack in delivery order.
    const key = `${row.sourceSystem}\u0000${row.sourceId}`;
    const pass = (passOf.get(key) ?? -1) + 1;
    passOf.set(key, pass);
    if (pass >= passes) passes = pass + 1;
    stage.push(encodeStageRow(l.line, pass, row, contentHash(row), seal));
  }
  return { lines: lines.length, res, stage: stage.length ? `${stage.join('\n')}\n` : '', passes };
}

const COLUMN = Object.fromEntries(STAGE_COLUMNS.map((c, i) => [c, i])) as Record<StageColumn, number>;
const ALL_NULL: string[] = STAGE_COLUMNS.map(() => '\\N');

/** One valid row as a line of `ingest_stage` (COPY text format, columns in STAGE_COLUMNS order). */
function encodeStageRow(
  line: number,
  pass: number,
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
  set('pass', pass);
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
