import crypto from 'node:crypto';
import { checkUscc, parseIngestRow, type IngestRow, type RowError } from '@heihe/shared';
import { copyText } from '../db/database';
import type { PiiVault, SealedIdNumber } from '../pii/pii';

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

export function emptyResult(): ChunkResult {
  return { inserted: 0, versioned: 0, unchanged: 0, rejected: 0, errors: [], changedEntityIds: [] };
}

type Cell = string | number | boolean | null | undefined;

/**
 * Validates, hashes and encodes a chunk of delivered lines for COPY into `ingest_stage`: the CPU
 * half of ingestion, with no database, so a worker thread can do it while the previous chunk is
 * written (see `file-prepare.worker.ts`).
 */
export function prepareChunk(lines: RawLine[], vault: PiiVault): PreparedChunk {
  const res = emptyResult();
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

/** One valid row as a line of `ingest_stage` (columns in STAGE_COLUMNS order). */
function encodeStageRow(
  line: number,
  pass: number,
  row: IngestRow,
  hash: string,
  seal: (idNumber: string) => SealedIdNumber,
): string {
  // line, pass, type, source_system, source_id, uscc, content_hash
  const head: Cell[] = [line, pass, row.type, row.sourceSystem, row.sourceId, row.uscc, hash];
  // kind, status, entity_status, category, severity, amount, grade, occurred_on, valid_from, valid_to, payload
  let rec: Cell[] = [null, null, null, null, null, null, null, null, null, null, null];
  // name, entity_type, established_on, registered_capital, uscc_checksum_ok, industry_code, region_code
  let ent: Cell[] = [null, null, null, null, null, null, null];
  // person_name, person_hash, person_cipher, person_masked
  let person: Cell[] = [null, null, null, null];
  // counterpart_uscc, counterpart_name, ratio, round, investors, role
  let rel: Cell[] = [null, null, null, null, null, null];
  const personOf = (name: string, idNumber: string): Cell[] => {
    const s = seal(idNumber);
    return [name, s.hash, s.cipher, s.masked];
  };
  switch (row.type) {
    case 'registration': {
      person = personOf(row.legalRepName, row.legalRepIdNumber);
      // The person's ID number never enters a record payload: the payload keeps only its keyed hash.
      const payload = {
        name: row.name,
        entityType: row.entityType,
        status: row.status,
        registeredCapital: row.registeredCapital,
        industryCode: row.industryCode,
        regionCode: row.regionCode,
        legalRepName: row.legalRepName,
        legalRepIdHash: person[1],
      };
      rec = ['registration', 'active', row.status, row.entityType, null, row.paidInCapital, null, row.establishedOn];
      rec.push(row.establishedOn, null, JSON.stringify(payload));
      const u = checkUscc(row.uscc);
      ent = [row.name, row.entityType, row.establishedOn, row.registeredCapital, u.ok && u.checksumOk];
      ent.push(row.industryCode, row.regionCode);
      break;
    }
    case 'record':
      // Typed columns carry the scoring inputs; the payload keeps the rest of the delivery.
      rec = [row.kind, row.status, null, row.category, row.severity, row.amount, row.grade, row.occurredOn];
      rec.push(
        row.validFrom ?? row.occurredOn,
        row.validTo,
        JSON.stringify({
          documentNo: row.documentNo ?? null,
          authority: row.authority ?? null,
          summary: row.summary ?? null,
        }),
      );
      break;
    case 'shareholder':
      if (row.holderIdNumber) person = personOf(row.holderName, row.holderIdNumber);
      rec[5] = row.amount;
      rel = [row.holderUscc, row.holderName, row.ratio, null, null, null];
      break;
    case 'investment':
      rec[5] = row.amount;
      rel = [row.investeeUscc, row.investeeName, row.ratio, null, null, null];
      break;
    case 'financing':
      rec[5] = row.amount;
      rec[7] = row.occurredOn;
      rel = [null, null, null, row.round, row.investors, null];
      break;
    case 'key_person':
      person = personOf(row.name, row.idNumber);
      rel = [null, null, null, null, null, row.role];
      break;
  }
  const cells: string[] = [];
  for (const part of [head, rec, ent, person, rel]) for (const c of part) cells.push(copyText(c));
  return cells.join('\t');
}
