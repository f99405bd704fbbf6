import type { Database, Sql } from '../db/database';
import { auditContentHash, GENESIS_HASH, sealHash, type AuditContent } from './audit';

/** An audit_log row as the sealer and the verifier read it. */
export interface AuditRow {
  id: string;
  at: Date | string;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  entity_id: number | null;
  detail: unknown;
  content_hash: string | null;
}

export const AUDIT_ROW_COLUMNS = `a.id::text AS id, a.at, a.actor_kind, a.actor_id, a.action, a.object_type, a.object_id,
  a.entity_id, a.detail, a.content_hash`;

/** The entry as its writer hashed it, read back from the row. */
export function rowContent(r: AuditRow): AuditContent {
  return {
    at: (r.at instanceof Date ? r.at : new Date(r.at)).toISOString(),
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    entityId: r.entity_id,
    detail: typeof r.detail === 'string' ? (JSON.parse(r.detail) as unknown) : r.detail,
  };
}

export interface SealResult {
  sealed: number;
  /** Another sealer held the lock: this one did nothing. */
  busy: boolean;
  /**
   * Sealing stopped at a row whose content no longer matches the hash its writer stored: it was
   * changed after it was written. Nothing after it is sealed until an operator looks.
   */
  blocked?: { id: string; expected: string; found: string };
}

/** Serialises sealers across processes; taken with try-, so a second sealer skips its turn. */
const SEAL_LOCK = 727274;

/**
 * Seals one batch in one transaction. A row is sealable once its inserting transaction is older
 * than every running one (its tx below the snapshot's xmin): whatever such a transaction wrote is
 * visible now or never will be, so sealing in (tx, id) order never passes over a row that commits
 * later. The chain's order is the seal's seq, continuing from the newest seal.
 */
async function sealBatch(sql: Sql, limit: number): Promise<SealResult> {
  // Raw SQL (this function): an advisory lock, xid8 and snapshot functions, and a set-wise insert,
  // none of which the client expresses. Transaction-scoped: a sealer that dies mid-batch releases it with its connection.
  const [lock] = await sql.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock($1) AS ok`, [SEAL_LOCK]);
  if (!lock?.ok) return { sealed: 0, busy: true };
  const [head] = await sql.query<{ seq: string; hash: string; tx: string; id: string }>(
    `SELECT s.seq::text AS seq, s.hash, a.tx::text AS tx, a.id::text AS id
     FROM audit_seal s JOIN audit_log a ON a.id = s.audit_id ORDER BY s.seq DESC LIMIT 1`,
  );
  const rows = await sql.query<AuditRow>(
    `SELECT ${AUDIT_ROW_COLUMNS} FROM audit_log a
     WHERE a.tx < pg_snapshot_xmin(pg_current_snapshot()) AND (a.tx, a.id) > ($1::xid8, $2::bigint)
     ORDER BY a.tx, a.id LIMIT $3`,
    [head?.tx ?? '0', head?.id ?? '0', limit],
  );
  let prev = head?.hash ?? GENESIS_HASH;
  let seq = BigInt(head?.seq ?? '0');
  const seqs: string[] = [];
  const ids: string[] = [];
  const prevs: string[] = [];
  const hashes: string[] = [];
  let blocked: SealResult['blocked'];
  for (const r of rows) {
    const content = auditContentHash(rowContent(r));
    if (r.content_hash !== null && r.content_hash !== content) {
      blocked = { id: r.id, expected: r.content_hash, found: content };
      break;
    }
    const hash = sealHash(prev, r.id, content);
    seqs.push(String(++seq));
    ids.push(r.id);
    prevs.push(prev);
    hashes.push(hash);
    prev = hash;
  }
  if (ids.length)
    await sql.query(
      `INSERT INTO audit_seal (seq, audit_id, prev_hash, hash)
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[])`,
      [seqs, ids, prevs, hashes],
    );
  return { sealed: ids.length, busy: false, ...(blocked ? { blocked } : {}) };
}

/**
 * Chains every sealable audit row into audit_seal, batch by batch, and returns how many it sealed.
 * Safe to call from anywhere at any time (the API's interval, start-up, `audit:verify`, tests):
 * only one sealer works at a time, and a row is sealed once.
 */
export async function sealAudit(db: Database, opts: { batchSize?: number } = {}): Promise<SealResult> {
  const batchSize = opts.batchSize ?? 5000;
  let sealed = 0;
  for (;;) {
    const r = await db.tx((sql) => sealBatch(sql, batchSize));
    sealed += r.sealed;
    if (r.busy || r.blocked || r.sealed < batchSize) return { ...r, sealed };
  }
}

/**
 * Seals until no committed row is left unsealed, waiting out transactions elsewhere on the server
 * that hold the horizon back (at most `timeoutMs`). For tests and tools that need the whole trail
 * sealed now; the API's sealer simply comes back a second later.
 */
export async function sealAll(
  db: Database,
  opts: { batchSize?: number; timeoutMs?: number } = {},
): Promise<SealResult> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let sealed = 0;
  for (;;) {
    const r = await sealAudit(db, opts);
    sealed += r.sealed;
    if (r.blocked) return { ...r, sealed };
    // Raw SQL: an anti-join count (the client's relation filter would read every row into Node).
    const [left] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log a WHERE NOT EXISTS (SELECT 1 FROM audit_seal s WHERE s.audit_id = a.id)`,
    );
    if ((left?.n === 0 && !r.busy) || Date.now() > deadline) return { ...r, sealed };
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** Seals at start-up (what a crash left unsealed) and then every `intervalMs`, until stopped. */
export class AuditSealer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly log: (line: string) => void,
  ) {}

  start(intervalMs: number): void {
    this.stopped = false;
    const tick = () => {
      this.running = sealAudit(this.db)
        .then((r) => {
          if (r.blocked)
            this.log(
              `audit row #${r.blocked.id} no longer matches its content hash: sealing stopped there (npm run audit:verify)`,
            );
        })
        .catch((e: unknown) => this.log(`audit sealing failed: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
