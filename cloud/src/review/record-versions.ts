import {
  AppError,
  ErrorCodes,
  RECORD_KIND_LABELS,
  RECORD_STATUS_LABELS,
  type RecordKind,
  type RecordStatus,
  type Severity,
} from '@heihe/shared';
import type { Sql } from '../db/database';

/** The current version of one record, as the workflows read and rewrite it. */
export interface CurrentVersion {
  id: number;
  recordId: number;
  entityId: number;
  kind: RecordKind;
  version: number;
  status: RecordStatus;
  category: string | null;
  severity: Severity | null;
  /** numeric as text, so a rewrite keeps every digit. */
  amount: string | null;
  grade: string | null;
  occurredOn: string;
  validFrom: string;
  validTo: string | null;
  payload: Record<string, unknown>;
  contentHash: string;
  summary: string | null;
}

const CURRENT_SQL = `
  SELECT id, record_id AS "recordId", entity_id AS "entityId", kind::text AS kind, version, status::text AS status,
         category, severity::text AS severity, amount::text AS amount, grade, occurred_on::text AS "occurredOn",
         valid_from::text AS "validFrom", valid_to::text AS "validTo", payload, content_hash AS "contentHash",
         coalesce(payload->>'summary', payload->>'documentNo') AS summary
  FROM credit_record_version
  WHERE record_id = $1 AND entity_id = $2 AND superseded_at IS NULL`;

function parsed(r: CurrentVersion): CurrentVersion {
  const payload = typeof r.payload === 'string' ? (JSON.parse(r.payload) as Record<string, unknown>) : r.payload;
  return { ...r, payload };
}

/** The record's current version, or NOT_FOUND: a record of another entity answers the same. */
export async function currentVersion(
  sql: Sql,
  entityId: number,
  recordId: number,
  opts: { lock?: boolean } = {},
): Promise<CurrentVersion> {
  const [r] = await sql.query<CurrentVersion>(`${CURRENT_SQL}${opts.lock ? ' FOR UPDATE' : ''}`, [recordId, entityId]);
  if (!r) throw new AppError(ErrorCodes.NOT_FOUND, '信用记录不存在或不属于该主体');
  return parsed(r);
}

export interface VersionChange {
  status?: RecordStatus;
  category?: string | null;
  severity?: Severity | null;
  amount?: number | null;
  occurredOn?: string;
  validTo?: string | null;
  summary?: string;
}

/**
 * Writes a new version of the record and closes the current one at the same instant: records are
 * never overwritten (SCORING.md invariant 6). The content hash stays the delivered one, so an
 * identical re-delivery from the source keeps the agency's version instead of reverting it.
 */
export async function writeVersion(
  sql: Sql,
  cur: CurrentVersion,
  change: VersionChange,
  reason: string,
  at: Date,
): Promise<number> {
  const closed = await sql.query(
    `UPDATE credit_record_version SET superseded_at = $2 WHERE id = $1 AND superseded_at IS NULL RETURNING id`,
    [cur.id, at.toISOString()],
  );
  if (!closed.length) throw new AppError(ErrorCodes.CONFLICT, '该记录已被更新，请刷新后重试');
  const payload = change.summary === undefined ? cur.payload : { ...cur.payload, summary: change.summary };
  const occurredOn = change.occurredOn ?? cur.occurredOn;
  // A corrected occurrence date moves the validity start with it when the two were the same.
  const validFrom =
    change.occurredOn !== undefined && cur.validFrom === cur.occurredOn ? change.occurredOn : cur.validFrom;
  const version = cur.version + 1;
  await sql.query(
    `INSERT INTO credit_record_version (record_id, entity_id, kind, version, status, category, severity, amount, grade,
       occurred_on, valid_from, valid_to, payload, content_hash, reason, recorded_at)
     VALUES ($1, $2, $3::"RecordKind", $4, $5::"RecordStatus", $6, $7::"Severity", $8::numeric, $9, $10::date, $11::date,
       $12::date, $13::jsonb, $14, $15, $16)`,
    [
      cur.recordId,
      cur.entityId,
      cur.kind,
      version,
      change.status ?? cur.status,
      change.category === undefined ? cur.category : change.category,
      change.severity === undefined ? cur.severity : change.severity,
      change.amount === undefined ? cur.amount : change.amount === null ? null : String(change.amount),
      cur.grade,
      occurredOn,
      validFrom,
      change.validTo === undefined ? cur.validTo : change.validTo,
      JSON.stringify(payload),
      cur.contentHash,
      reason,
      at.toISOString(),
    ],
  );
  return version;
}

export interface RecordSummary {
  recordId: number;
  version: number;
  kind: string;
  kindLabel: string;
  status: string;
  statusLabel: string;
  category: string | null;
  severity: string | null;
  occurredOn: string;
  summary: string | null;
}

/** The current version of each record, as an application shows it (flagged 异议中 while disputed). */
export async function recordSummaries(sql: Sql, recordIds: number[]): Promise<Map<number, RecordSummary>> {
  if (!recordIds.length) return new Map();
  const rows = await sql.query<Omit<RecordSummary, 'kindLabel' | 'statusLabel'>>(
    `SELECT record_id AS "recordId", version, kind::text AS kind, status::text AS status, category, severity::text AS severity,
            occurred_on::text AS "occurredOn", coalesce(payload->>'summary', payload->>'documentNo') AS summary
     FROM credit_record_version WHERE record_id = ANY($1::int[]) AND superseded_at IS NULL`,
    [recordIds],
  );
  return new Map(
    rows.map((r) => [
      r.recordId,
      {
        ...r,
        kindLabel: RECORD_KIND_LABELS[r.kind as RecordKind] ?? r.kind,
        statusLabel: RECORD_STATUS_LABELS[r.status as RecordStatus] ?? r.status,
      },
    ]),
  );
}
