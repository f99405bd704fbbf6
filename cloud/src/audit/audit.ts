import crypto from 'node:crypto';
import type { Sql } from '../db/database';

export interface AuditEntry {
  actorKind: 'user' | 'staff' | 'api_client' | 'system';
  actorId: string | null;
  /** e.g. 'auth.login', 'identity.verify', 'personal_data.view', 'model.publish', 'objection.decide' */
  action: string;
  objectType: string;
  objectId: string | null;
  entityId?: number | null;
  detail?: Record<string, unknown>;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth: jsonb reorders keys, the hash must not care. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v ?? null);
}

export interface AuditContent {
  at: string;
  actorKind: string;
  actorId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  entityId: number | null;
  detail: unknown;
}

const sha256 = (text: string): string => crypto.createHash('sha256').update(text).digest('hex');

/** The hash of an entry's own content; `sealAudit` and `verifyAuditChain` recompute it from the row. */
export function auditContentHash(e: AuditContent): string {
  return sha256(
    canonicalJson([e.at, e.actorKind, e.actorId, e.action, e.objectType, e.objectId, e.entityId, e.detail]),
  );
}

/** A link of the seal chain: the previous seal's hash, the audit row's id and its content hash. */
export function sealHash(prevHash: string, auditId: string, contentHash: string): string {
  return sha256(canonicalJson([prevHash, auditId, contentHash]));
}

/** audit_log's written columns, in the order of `auditValues`. */
export const AUDIT_COLUMNS =
  'at, actor_kind, actor_id, action, object_type, object_id, entity_id, detail, content_hash';

/**
 * One entry as the parameters of an audit_log row, in the order of AUDIT_COLUMNS, and their
 * placeholders from `$first` with their casts (so they also type in an `INSERT … SELECT`).
 */
export function auditValues(
  e: AuditEntry,
  first: number,
  opts: { now?: Date } = {},
): { sql: string; params: unknown[] } {
  // Millisecond precision, matching the column, so the hash recomputes from the stored row.
  const at = (opts.now ?? new Date()).toISOString();
  // Hash exactly what jsonb will give back: undefined members vanish, dates become strings.
  const detail = JSON.parse(JSON.stringify(e.detail ?? {})) as unknown;
  const entityId = e.entityId ?? null;
  const contentHash = auditContentHash({
    at,
    actorKind: e.actorKind,
    actorId: e.actorId,
    action: e.action,
    objectType: e.objectType,
    objectId: e.objectId,
    entityId,
    detail,
  });
  const casts = ['timestamptz', 'text', 'text', 'text', 'text', 'text', 'int', 'jsonb', 'text'];
  return {
    sql: casts.map((c, i) => `$${first + i}::${c}`).join(', '),
    params: [
      at,
      e.actorKind,
      e.actorId,
      e.action,
      e.objectType,
      e.objectId,
      entityId,
      JSON.stringify(detail),
      contentHash,
    ],
  };
}

/**
 * Appends one entry to the audit trail, in the caller's transaction when given one, so that a
 * decision and its audit record commit together. No lock and no read: the row carries its content
 * hash, and the sealer chains it once its transaction has ended (ADR 0010).
 */
export async function appendAudit(sql: Sql, e: AuditEntry, opts: { now?: Date } = {}): Promise<void> {
  const v = auditValues(e, 1, opts);
  // Raw SQL: every request writes here; one statement without the client's read-back, tx from the column default (xid8, unsupported by the client).
  await sql.query(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (${v.sql})`, v.params);
}
