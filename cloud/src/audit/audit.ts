import crypto from 'node:crypto';
import { Database, type Sql } from '../db/database';

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

/** The canonical text an entry's hash covers; `verifyAuditChain` recomputes it from the row. */
export function auditHash(
  prevHash: string,
  e: {
    at: string;
    actorKind: string;
    actorId: string | null;
    action: string;
    objectType: string;
    objectId: string | null;
    entityId: number | null;
    detail: unknown;
  },
): string {
  const canon = canonicalJson([
    prevHash,
    e.at,
    e.actorKind,
    e.actorId,
    e.action,
    e.objectType,
    e.objectId,
    e.entityId,
    e.detail,
  ]);
  return crypto.createHash('sha256').update(canon).digest('hex');
}

/**
 * Appends one entry to the hash-chained audit trail, inside the caller's transaction so that a
 * decision and its audit record commit together. A transaction-scoped advisory lock orders
 * writers, so the chain never forks. Given the Database itself (no transaction), it opens one:
 * outside a transaction the lock would end before the insert.
 */
export async function appendAudit(sql: Sql, e: AuditEntry, opts: { now?: Date } = {}): Promise<void> {
  if (sql instanceof Database) return sql.tx((t) => appendAudit(t, e, opts));
  await sql.query(`SELECT pg_advisory_xact_lock(727274)`);
  const [last] = await sql.query<{ hash: string }>(`SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1`);
  const prevHash = last?.hash ?? GENESIS_HASH;
  // Millisecond precision, matching the column, so the hash recomputes from the stored row.
  const at = (opts.now ?? new Date()).toISOString();
  // Hash exactly what jsonb will give back: undefined members vanish, dates become strings.
  const detail = JSON.parse(JSON.stringify(e.detail ?? {})) as unknown;
  const entityId = e.entityId ?? null;
  const hash = auditHash(prevHash, {
    at,
    actorKind: e.actorKind,
    actorId: e.actorId,
    action: e.action,
    objectType: e.objectType,
    objectId: e.objectId,
    entityId,
    detail,
  });
  await sql.query(
    `INSERT INTO audit_log (at, actor_kind, actor_id, action, object_type, object_id, entity_id, detail, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)`,
    [at, e.actorKind, e.actorId, e.action, e.objectType, e.objectId, entityId, JSON.stringify(detail), prevHash, hash],
  );
}
