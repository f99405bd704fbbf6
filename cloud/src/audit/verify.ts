import type { Sql } from '../db/database';
import { auditHash, GENESIS_HASH } from './audit';

export interface AuditBreak {
  /** The first row that does not verify. */
  id: string;
  reason: 'hash' | 'link';
  /** For operators: what was expected where. Never personal data, only hashes. */
  expected: string;
  found: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstId: string | null;
  /** 'genesis' when the chain starts at the first entry ever; 'retained' after a retention purge. */
  anchor: 'genesis' | 'retained' | 'empty';
  /** The hash of the last entry: record it elsewhere to notice a rewrite of the whole chain later. */
  headHash: string | null;
  break?: AuditBreak;
}

interface Row {
  id: string;
  at: Date | string;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  entity_id: number | null;
  detail: unknown;
  prev_hash: string;
  hash: string;
}

const iso = (v: Date | string): string => (v instanceof Date ? v : new Date(v)).toISOString();

/**
 * Recomputes the whole chain in id order, in pages: each row's hash must be the hash of its own
 * content and its prev_hash, and each prev_hash the hash of the row before. The first row of a
 * purged log is its own anchor (its predecessor was deleted by retention, not by anyone else:
 * the trigger refuses that).
 */
export async function verifyAuditChain(sql: Sql, opts: { pageSize?: number } = {}): Promise<AuditVerification> {
  const pageSize = opts.pageSize ?? 5000;
  let after = '0';
  let prev: string | null = null;
  let firstId: string | null = null;
  let anchor: AuditVerification['anchor'] = 'empty';
  let checked = 0;
  for (;;) {
    const rows = await sql.query<Row>(
      `SELECT id::text AS id, at, actor_kind, actor_id, action, object_type, object_id, entity_id, detail, prev_hash, hash
       FROM audit_log WHERE audit_log.id > $1::bigint ORDER BY audit_log.id LIMIT $2`,
      [after, pageSize],
    );
    for (const r of rows) {
      if (prev === null) {
        firstId = r.id;
        anchor = r.prev_hash === GENESIS_HASH ? 'genesis' : 'retained';
      } else if (r.prev_hash !== prev) {
        return {
          ok: false,
          checked,
          firstId,
          anchor,
          headHash: prev,
          break: { id: r.id, reason: 'link', expected: prev, found: r.prev_hash },
        };
      }
      const detail = typeof r.detail === 'string' ? (JSON.parse(r.detail) as unknown) : r.detail;
      const recomputed = auditHash(r.prev_hash, {
        at: iso(r.at),
        actorKind: r.actor_kind,
        actorId: r.actor_id,
        action: r.action,
        objectType: r.object_type,
        objectId: r.object_id,
        entityId: r.entity_id,
        detail,
      });
      if (recomputed !== r.hash)
        return {
          ok: false,
          checked,
          firstId,
          anchor,
          headHash: prev,
          break: { id: r.id, reason: 'hash', expected: recomputed, found: r.hash },
        };
      prev = r.hash;
      checked++;
    }
    if (rows.length < pageSize) break;
    after = rows[rows.length - 1]!.id;
  }
  return { ok: true, checked, firstId, anchor, headHash: prev };
}

/**
 * Deletes entries older than the retention (at least 184 days; the database function refuses
 * less), always as a prefix of the chain and never the newest entry, so what stays verifies.
 */
export async function purgeAudit(sql: Sql, retentionDays: number): Promise<number> {
  const [r] = await sql.query<{ n: string }>(`SELECT audit_log_purge($1::int)::text AS n`, [retentionDays]);
  return Number(r?.n ?? 0);
}

/** What `npm run audit:verify` prints; the exit code is 0 only for an intact chain. */
export function describeVerification(v: AuditVerification): { text: string; exitCode: number } {
  if (v.ok) {
    const from =
      v.anchor === 'genesis' ? '自创世记录起' : v.anchor === 'retained' ? `自保留期内首条记录 #${v.firstId} 起` : '';
    return {
      text:
        v.anchor === 'empty' ? '审计日志为空\n' : `审计链完整：${from}共校验 ${v.checked} 条，链头哈希 ${v.headHash}\n`,
      exitCode: 0,
    };
  }
  const b = v.break!;
  const why =
    b.reason === 'hash' ? '记录内容与其哈希不符（记录被改动）' : '与前一条记录的哈希链接断开（记录被删除、插入或改动）';
  return {
    text: `审计链断裂：记录 #${b.id} ${why}；此前 ${v.checked} 条完好。\n  期望 ${b.expected}\n  实际 ${b.found}\n`,
    exitCode: 1,
  };
}
