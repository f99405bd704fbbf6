import type { Sql } from '../db/database';
import { auditContentHash, GENESIS_HASH, sealHash } from './audit';
import { AUDIT_ROW_COLUMNS, rowContent, type AuditRow } from './seal';

export interface AuditBreak {
  /** The first audit row that does not verify. */
  id: string;
  /** 'hash': the row's content changed; 'link': a seal was removed, inserted or rewritten; 'missing': a sealed row is gone. */
  reason: 'hash' | 'link' | 'missing';
  /** For operators: what was expected where. Never personal data, only hashes. */
  expected: string;
  found: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Sealed rows verified. */
  checked: number;
  /** The audit id of the first seal. */
  firstId: string | null;
  /** 'genesis' when the chain starts at the first entry ever; 'retained' after a retention purge. */
  anchor: 'genesis' | 'retained' | 'empty';
  /** The hash of the newest seal: record it elsewhere to notice a rewrite of the whole chain later. */
  headHash: string | null;
  /** Rows not sealed yet (their content hashes checked all the same). */
  unsealed: number;
  /** Unsealed rows older than the allowed delay: the sealer is not running, or cannot proceed. */
  staleUnsealed: number;
  break?: AuditBreak;
}

interface SealedRow extends AuditRow {
  seq: string;
  audit_id: string;
  prev_hash: string;
  hash: string;
  present: boolean;
}

/** Unsealed rows older than this fail the verification (the sealer runs every second or so). */
export const MAX_UNSEALED_AGE_MS = 5 * 60_000;

/**
 * Walks the seal chain in order, in pages: each seal must link to the one before, its row must
 * exist, and the row's content must hash to what the writer stored and the seal chained. The first
 * seal of a purged log is its own anchor (its predecessor was deleted by retention, not by anyone
 * else: the triggers refuse that). Then checks the rows not sealed yet: their content hashes, how
 * many there are, and that none is older than `maxUnsealedAgeMs`.
 */
export async function verifyAuditChain(
  sql: Sql,
  opts: { pageSize?: number; now?: Date; maxUnsealedAgeMs?: number } = {},
): Promise<AuditVerification> {
  const pageSize = opts.pageSize ?? 5000;
  let after = '0';
  let prev: string | null = null;
  let firstId: string | null = null;
  let anchor: AuditVerification['anchor'] = 'empty';
  let checked = 0;
  const broken = (b: AuditBreak): AuditVerification => ({
    ok: false,
    checked,
    firstId,
    anchor,
    headHash: prev,
    unsealed: 0,
    staleUnsealed: 0,
    break: b,
  });
  for (;;) {
    // Raw SQL: a keyset page of the chain joined to its rows, with xid8 as text.
    const rows = await sql.query<SealedRow>(
      `SELECT s.seq::text AS seq, s.audit_id::text AS audit_id, s.prev_hash, s.hash, a.id IS NOT NULL AS present,
              ${AUDIT_ROW_COLUMNS}
       FROM audit_seal s LEFT JOIN audit_log a ON a.id = s.audit_id
       WHERE s.seq > $1::bigint ORDER BY s.seq LIMIT $2`,
      [after, pageSize],
    );
    for (const r of rows) {
      if (prev === null) {
        firstId = r.audit_id;
        anchor = r.prev_hash === GENESIS_HASH ? 'genesis' : 'retained';
      } else if (r.prev_hash !== prev)
        return broken({ id: r.audit_id, reason: 'link', expected: prev, found: r.prev_hash });
      if (!r.present) return broken({ id: r.audit_id, reason: 'missing', expected: r.hash, found: '' });
      const content = auditContentHash(rowContent(r));
      if (r.content_hash !== null && r.content_hash !== content)
        return broken({ id: r.audit_id, reason: 'hash', expected: r.content_hash, found: content });
      const expected = sealHash(r.prev_hash, r.audit_id, content);
      if (expected !== r.hash) return broken({ id: r.audit_id, reason: 'hash', expected, found: r.hash });
      prev = r.hash;
      checked++;
    }
    if (rows.length < pageSize) break;
    after = rows[rows.length - 1]!.seq;
  }
  const staleBefore = (opts.now ?? new Date()).getTime() - (opts.maxUnsealedAgeMs ?? MAX_UNSEALED_AGE_MS);
  let unsealed = 0;
  let staleUnsealed = 0;
  after = '0';
  for (;;) {
    // Raw SQL: a keyset page of an anti-join.
    const rows = await sql.query<AuditRow>(
      `SELECT ${AUDIT_ROW_COLUMNS} FROM audit_log a
       WHERE a.id > $1::bigint AND NOT EXISTS (SELECT 1 FROM audit_seal s WHERE s.audit_id = a.id)
       ORDER BY a.id LIMIT $2`,
      [after, pageSize],
    );
    for (const r of rows) {
      const c = rowContent(r);
      const content = auditContentHash(c);
      if (r.content_hash !== null && r.content_hash !== content)
        return broken({ id: r.id, reason: 'hash', expected: r.content_hash, found: content });
      unsealed++;
      if (Date.parse(c.at) < staleBefore) staleUnsealed++;
    }
    if (rows.length < pageSize) break;
    after = rows[rows.length - 1]!.id;
  }
  return { ok: staleUnsealed === 0, checked, firstId, anchor, headHash: prev, unsealed, staleUnsealed };
}

/**
 * Deletes sealed entries older than the retention (at least 184 days; the database function
 * refuses less) with their seals, always as a prefix of the seal chain and never the newest seal,
 * so what stays verifies. Unsealed entries wait for the sealer.
 */
export async function purgeAudit(sql: Sql, retentionDays: number): Promise<number> {
  // Raw SQL: calls the database function that alone may delete audit rows.
  const [r] = await sql.query<{ n: string }>(`SELECT audit_log_purge($1::int)::text AS n`, [retentionDays]);
  return Number(r?.n ?? 0);
}

/** What `npm run audit:verify` prints; the exit code is 0 only for an intact, sealed chain. */
export function describeVerification(v: AuditVerification): { text: string; exitCode: number } {
  const pending = v.unsealed
    ? `另有 ${v.unsealed} 条尚未封存入链（内容哈希已核对）${v.staleUnsealed ? `，其中 ${v.staleUnsealed} 条超过 ${MAX_UNSEALED_AGE_MS / 60_000} 分钟` : ''}\n`
    : '';
  if (v.break) {
    const b = v.break;
    const why =
      b.reason === 'hash'
        ? '记录内容与其哈希不符（记录被改动）'
        : b.reason === 'missing'
          ? '已封存的记录不存在（记录被删除）'
          : '与前一条封存的哈希链接断开（封存被删除、插入或改动）';
    return {
      text: `审计链断裂：记录 #${b.id} ${why}；此前 ${v.checked} 条完好。\n  期望 ${b.expected}\n  实际 ${b.found}\n`,
      exitCode: 1,
    };
  }
  if (v.staleUnsealed)
    return {
      text: `审计链未完成封存：${pending}封存程序未运行，或被长事务、被改动的记录阻塞。\n`,
      exitCode: 1,
    };
  const from =
    v.anchor === 'genesis' ? '自创世记录起' : v.anchor === 'retained' ? `自保留期内首条记录 #${v.firstId} 起` : '';
  return {
    text:
      (v.anchor === 'empty'
        ? '审计日志为空\n'
        : `审计链完整：${from}共校验 ${v.checked} 条，链头哈希 ${v.headHash}\n`) + pending,
    exitCode: 0,
  };
}
