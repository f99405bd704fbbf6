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
import { dateOfDay, dayOf, dayOrNull, idOf } from '../db/values';
import type { CreditRecordVersion, Prisma } from '../generated/prisma/client';

/** The current version of one record, as the workflows read and rewrite it. */
export interface CurrentVersion {
  id: number;
  recordId: number;
  entityId: number;
  /** The entity's bucket (ADR 0025): every version of the record carries it. */
  bucket: number;
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

/** What a record shows as its summary: payload->>'summary', else payload->>'documentNo'. */
function summaryOf(payload: Prisma.JsonValue): string | null {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return null;
  for (const v of [payload.summary, payload.documentNo])
    if (v !== null && v !== undefined) return typeof v === 'object' ? JSON.stringify(v) : String(v);
  return null;
}

function current(r: CreditRecordVersion): CurrentVersion {
  return {
    id: idOf(r.id),
    recordId: idOf(r.recordId),
    entityId: r.entityId,
    bucket: r.bucket,
    kind: r.kind,
    version: r.version,
    status: r.status,
    category: r.category,
    severity: r.severity,
    amount: r.amount === null ? null : r.amount.toString(),
    grade: r.grade,
    occurredOn: dayOf(r.occurredOn),
    validFrom: dayOf(r.validFrom),
    validTo: dayOrNull(r.validTo),
    payload: r.payload as Record<string, unknown>,
    contentHash: r.contentHash,
    summary: summaryOf(r.payload),
  };
}

/** The record's current version, or NOT_FOUND: a record of another entity answers the same. */
export async function currentVersion(
  sql: Sql,
  entityId: number,
  recordId: number,
  opts: { lock?: boolean } = {},
): Promise<CurrentVersion> {
  const where = { recordId, entityId, supersededAt: null };
  if (opts.lock)
    // Raw SQL: row lock on the version a decision rewrites (Prisma Client has no SELECT … FOR UPDATE).
    await sql.query(
      `SELECT 1 FROM credit_record_version WHERE record_id = $1 AND entity_id = $2 AND superseded_at IS NULL FOR UPDATE`,
      [recordId, entityId],
    );
  const r = await sql.prisma.creditRecordVersion.findFirst({ where });
  if (!r) throw new AppError(ErrorCodes.NOT_FOUND, '信用记录不存在或不属于该主体');
  return current(r);
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
  const closed = await sql.prisma.creditRecordVersion.updateMany({
    where: { id: cur.id, supersededAt: null },
    data: { supersededAt: at },
  });
  if (!closed.count) throw new AppError(ErrorCodes.CONFLICT, '该记录已被更新，请刷新后重试');
  const payload = change.summary === undefined ? cur.payload : { ...cur.payload, summary: change.summary };
  const occurredOn = change.occurredOn ?? cur.occurredOn;
  // A corrected occurrence date moves the validity start with it when the two were the same.
  const validFrom =
    change.occurredOn !== undefined && cur.validFrom === cur.occurredOn ? change.occurredOn : cur.validFrom;
  const validTo = change.validTo === undefined ? cur.validTo : change.validTo;
  const version = cur.version + 1;
  await sql.prisma.creditRecordVersion.create({
    data: {
      recordId: cur.recordId,
      entityId: cur.entityId,
      bucket: cur.bucket,
      kind: cur.kind,
      version,
      status: change.status ?? cur.status,
      category: change.category === undefined ? cur.category : change.category,
      severity: change.severity === undefined ? cur.severity : change.severity,
      amount: change.amount === undefined ? cur.amount : change.amount === null ? null : String(change.amount),
      grade: cur.grade,
      occurredOn: dateOfDay(occurredOn),
      validFrom: dateOfDay(validFrom),
      validTo: validTo === null ? null : dateOfDay(validTo),
      payload: payload as Prisma.InputJsonObject,
      contentHash: cur.contentHash,
      reason,
      recordedAt: at,
    },
  });
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
  const rows = await sql.prisma.creditRecordVersion.findMany({
    where: { recordId: { in: [...new Set(recordIds)] }, supersededAt: null },
    select: {
      recordId: true,
      version: true,
      kind: true,
      status: true,
      category: true,
      severity: true,
      occurredOn: true,
      payload: true,
    },
  });
  return new Map(
    rows.map((r) => [
      idOf(r.recordId),
      {
        recordId: idOf(r.recordId),
        version: r.version,
        kind: r.kind,
        kindLabel: RECORD_KIND_LABELS[r.kind] ?? r.kind,
        status: r.status,
        statusLabel: RECORD_STATUS_LABELS[r.status] ?? r.status,
        category: r.category,
        severity: r.severity,
        occurredOn: dayOf(r.occurredOn),
        summary: summaryOf(r.payload),
      },
    ]),
  );
}
