import os from 'node:os';
import { AppError, ErrorCodes } from '@heihe/shared';
import type { Database, Sql } from '../db/database';
import { noticeRegulators } from '../outbox';
import { chinaDate } from '../common/china-time';
import { ScoringThread } from './chunk-scoring';
import { chunkFactsQuery, slotsInChunk, writeEncoded, type ChunkEntities } from './evaluation.writer';
import { chunkGroups, NodeMap } from './cycle.nodes';
import { ModelRepository } from './model.repository';

export interface CycleProgress {
  id: number;
  modelVersion: number;
  asOf: string;
  status: 'running' | 'done';
  trigger: string;
  totalChunks: number;
  doneChunks: number;
  entitiesDone: number;
  startedAt: string;
  finishedAt: string | null;
}

export interface StartCycleOptions {
  trigger: string;
  at?: Date;
  /** A model version to score under; default: the one in force on the as-of date. */
  modelVersion?: number;
  chunkSize?: number;
  /** Chunks are cut within groups of buckets: each node's range cut into this many (1..4096; default the service's). */
  bucketGroups?: number;
}

/**
 * Progress is counted from the chunk rows, not kept in a counter on the cycle's row: a shared
 * counter would make every chunk's commit touch one hot row, on one node of a distributed database
 * (issue 20). A cycle has a few hundred chunks; counting them is one index range.
 */
const PROGRESS_SQL = `SELECT c.id, c.model_version AS "modelVersion", c.as_of AS "asOf", c.status, c.trigger,
  c.total_chunks AS "totalChunks", count(k.chunk_no)::int AS "doneChunks", coalesce(sum(k.entities), 0)::int AS "entitiesDone",
  c.started_at AS "startedAt", c.finished_at AS "finishedAt"
  FROM scoring_cycle c LEFT JOIN cycle_chunk k ON k.cycle_id = c.id AND k.status = 'done'`;
const PROGRESS_GROUP = `GROUP BY c.id`;

/**
 * Work over a chunk's entities registered by another feature (ADR 0026: 精准招商 stores the
 * ownership penetrations of the chunk's entities ahead of reads). It runs after the cycle's
 * scoring, for each chunk, behind every chunk's scoring (`followChunk`), so it never holds up a
 * score; it is idempotent, so a retried or repeated run does no work twice, and it stops between
 * its steps when `signal` aborts. It returns a line for the worker's log.
 */
export interface ChunkFollower {
  readonly name: string;
  afterChunk(chunk: ChunkEntities, signal?: AbortSignal): Promise<string>;
}

function iso(v: unknown): string {
  return v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
}

/**
 * The cyclic half of 动态循环评分法. A cycle scores every entity once, as of one instant, under one
 * model version. It is cut into chunks of buckets and entity ids (ADR 0020); each chunk commits in one transaction with
 * its evaluations and its `done` mark, so a cycle killed halfway resumes without doubling work
 * (evaluations are unique per cycle and entity) and without mixing versions.
 *
 * Raw SQL (the cycle's bookkeeping, every statement of this class): on PGlite these run beside a
 * chunk's transaction, and the client's calls outside a transaction did not wait for it there
 * (measured: a request hung). The chunk's own reads and writes are COPY and set-wise statements.
 */
export class CycleService {
  readonly worker = `${os.hostname()}:${process.pid}`;
  private readonly scoring = new ScoringThread();
  private readonly followers: ChunkFollower[] = [];

  /**
   * `nodes`: which database node owns which buckets; a chunk never spans two nodes' ranges.
   * `bucketGroups`: the groups each node's range is cut into when a start names none
   * (`CYCLE_BUCKET_GROUPS`; 4096, one bucket a chunk, on a distributed database: ADR 0025).
   */
  constructor(
    private readonly db: Database,
    readonly nodes: NodeMap = new NodeMap(),
    private readonly bucketGroups = 1,
  ) {}

  /** Adds work that follows every chunk this service scores (`ChunkFollower`). */
  follow(follower: ChunkFollower): this {
    this.followers.push(follower);
    return this;
  }

  /** Stops the scoring thread (it also never keeps the process alive while idle). */
  async close(): Promise<void> {
    await this.scoring.close();
  }

  /** Starts a cycle, or returns the one already running (so a rerun resumes it). */
  async startOrResume(opts: StartCycleOptions): Promise<CycleProgress> {
    const running = await this.db.query<{ id: number }>(
      `SELECT id FROM scoring_cycle WHERE status = 'running' ORDER BY id LIMIT 1`,
    );
    if (running[0]) {
      if (opts.modelVersion !== undefined) {
        const p = await this.progress(running[0].id);
        if (p.modelVersion !== opts.modelVersion)
          throw new AppError(
            ErrorCodes.CYCLE_RUNNING,
            `评分周期 ${p.id} 正在运行（模型版本 ${p.modelVersion}），请待其完成后再试`,
          );
      }
      await this.closeIfComplete(running[0].id);
      return this.progress(running[0].id);
    }
    const at = opts.at ?? new Date();
    const chunkSize = opts.chunkSize ?? 5000;
    const id = await this.db.tx(async (sql) => {
      const models = new ModelRepository(sql);
      const model =
        opts.modelVersion !== undefined ? await models.get(opts.modelVersion) : await models.effectiveOn(chinaDate(at));
      if (model.status !== 'published')
        throw new AppError(ErrorCodes.MODEL_INVALID, `模型版本 ${model.version} 尚未发布`);
      const [c] = await sql.query<{ id: number }>(
        `INSERT INTO scoring_cycle (model_version, as_of, trigger) VALUES ($1, $2, $3) RETURNING id`,
        [model.version, at.toISOString(), opts.trigger],
      );
      const chunks = await this.cut(sql, c!.id, chunkSize, opts.bucketGroups ?? this.bucketGroups);
      await sql.query(
        `UPDATE scoring_cycle SET total_chunks = $2, status = CASE WHEN $2 = 0 THEN 'done' ELSE 'running' END,
           finished_at = CASE WHEN $2 = 0 THEN now() END WHERE id = $1`,
        [c!.id, chunks],
      );
      return c!.id;
    });
    return this.progress(id);
  }

  /**
   * Cuts the cycle into chunks per bucket group (ADR 0020): each chunk is `chunkSize` consecutive
   * ids of one group's entities (a group: a node's buckets, or a part of them, `chunkGroups`), cut
   * in SQL so no id list travels. With one group (one node, the default) these are the id ranges
   * of before. Returns the number of chunks.
   */
  private async cut(sql: Sql, cycleId: number, chunkSize: number, bucketGroups?: number): Promise<number> {
    const groups = chunkGroups(this.nodes, bucketGroups);
    // Raw SQL: set-wise; width_bucket finds a bucket's group among the groups' first buckets.
    const rows = await sql.query<{ n: number }>(
      `INSERT INTO cycle_chunk (cycle_id, chunk_no, from_bucket, to_bucket, from_entity, to_entity)
       SELECT $1, (row_number() OVER (ORDER BY g, piece)) - 1, ($2::smallint[])[g], ($3::smallint[])[g], lo, hi
       FROM (SELECT g, piece, min(id) AS lo, max(id) AS hi
             FROM (SELECT id, g, ((row_number() OVER (PARTITION BY g ORDER BY id)) - 1) / $4 AS piece
                   FROM (SELECT id, width_bucket(bucket, $2::smallint[]) AS g FROM entity) e) s
             GROUP BY g, piece) c
       RETURNING chunk_no AS n`,
      [cycleId, groups.from, groups.to, chunkSize],
    );
    return rows.length;
  }

  async progress(cycleId: number): Promise<CycleProgress> {
    const [p] = await this.db.query<CycleProgress>(`${PROGRESS_SQL} WHERE c.id = $1 ${PROGRESS_GROUP}`, [cycleId]);
    if (!p) throw new AppError(ErrorCodes.NOT_FOUND, `评分周期 ${cycleId} 不存在`);
    return {
      ...p,
      asOf: iso(p.asOf),
      startedAt: iso(p.startedAt),
      finishedAt: p.finishedAt ? iso(p.finishedAt) : null,
    };
  }

  async latest(): Promise<CycleProgress | null> {
    const [p] = await this.db.query<{ id: number }>(`SELECT id FROM scoring_cycle ORDER BY id DESC LIMIT 1`);
    return p ? this.progress(p.id) : null;
  }

  async pendingChunks(cycleId: number): Promise<number[]> {
    return (await this.pendingChunkBuckets(cycleId)).map((r) => r.chunkNo);
  }

  /** The pending chunks with their buckets: a dispatcher sends each to the node owning them. */
  async pendingChunkBuckets(cycleId: number): Promise<{ chunkNo: number; fromBucket: number; toBucket: number }[]> {
    return this.db.query<{ chunkNo: number; fromBucket: number; toBucket: number }>(
      `SELECT chunk_no AS "chunkNo", from_bucket AS "fromBucket", to_bucket AS "toBucket"
       FROM cycle_chunk WHERE cycle_id = $1 AND status <> 'done' ORDER BY chunk_no`,
      [cycleId],
    );
  }

  /** The cycle's close tells the departments, in its transaction: grades counted over every entity. */
  private async tellCycleCompleted(
    sql: Sql,
    cycleId: number,
    c: { entities: number; trigger: string },
    modelVersion: number,
    at: Date,
  ): Promise<void> {
    // Raw SQL: a set-wise count over every entity's score.
    const byGrade = await sql.query<{ grade: string; n: number }>(
      `SELECT grade::text AS grade, count(*)::int AS n FROM entity_score WHERE grade IS NOT NULL GROUP BY grade ORDER BY grade`,
    );
    await noticeRegulators(sql, {
      messageId: `result.cycle_completed:${cycleId}`,
      topic: 'result.cycle_completed',
      entityId: null,
      payload: {
        modelVersion,
        asOf: at.toISOString(),
        cycleId,
        trigger: c.trigger,
        entities: c.entities,
        grades: Object.fromEntries(byGrade.map((g) => [g.grade, g.n])),
      },
    });
  }

  /**
   * Scores one chunk. Safe to call twice, concurrently or after a crash: the chunk row is locked,
   * and a chunk already done is skipped. Returns the number of entities it scored.
   */
  async runChunk(cycleId: number, chunkNo: number): Promise<number> {
    const scored = await this.db.tx(async (sql) => {
      // Raw SQL: claims the chunk and reads its cycle in one statement (the row lock is the chunk's mutex).
      const [chunk] = await sql.query<{
        from_bucket: number;
        to_bucket: number;
        from_entity: number;
        to_entity: number;
        model_version: number;
        as_of: unknown;
      }>(
        `UPDATE cycle_chunk k SET attempts = attempts + 1 FROM scoring_cycle c
         WHERE k.cycle_id = $1 AND k.chunk_no = $2 AND k.status <> 'done' AND c.id = k.cycle_id
         RETURNING k.from_bucket, k.to_bucket, k.from_entity, k.to_entity, c.model_version, c.as_of`,
        [cycleId, chunkNo],
      );
      if (!chunk) return 0;
      // Do not wait for this commit's WAL flush. Safe: a commit lost in a server crash loses the
      // chunk's done-mark together with its evaluations and counters (one transaction), so the
      // chunk is simply pending again and reruns on resume. A chunk writes ~8 MB of WAL; waiting
      // for each flush is a large part of its time.
      // And plan the chunk's read plainly: on a large population the planner's estimate for one
      // range passes the thresholds for JIT compilation and for parallel workers. Compiling the
      // expressions again for each chunk, and starting two worker processes that pass every row
      // back through shared memory, cost more than the read itself saves; the cycle already runs
      // chunks side by side (docs/adr/0009-cycle-plain-chunk-plans.md).
      // Raw SQL: transaction-local settings have no client API.
      await sql.query(
        `SELECT set_config('synchronous_commit', 'off', true), set_config('jit', 'off', true),
           set_config('max_parallel_workers_per_gather', '0', true)`,
      );
      const at = new Date(iso(chunk.as_of));
      const model = await new ModelRepository(sql).get(chunk.model_version);
      const meta = { asOf: at, trigger: 'cycle', cycleId };
      // Read here, score in the scoring thread, write here: while one chunk is scored, this thread
      // reads and writes the others in flight.
      // Every read of the chunk names its buckets as well as its ids (ADR 0020).
      const range = {
        fromBucket: chunk.from_bucket,
        toBucket: chunk.to_bucket,
        from: chunk.from_entity,
        to: chunk.to_entity,
      };
      const slots = await slotsInChunk(sql, range);
      const encoded = await this.scoring.score({
        copy: await sql.copyTo(chunkFactsQuery(range, at), 'binary'),
        entityIds: slots.entityIds,
        buckets: slots.buckets,
        evaluationIds: slots.evaluationIds,
        from: chunk.from_entity,
        to: chunk.to_entity,
        asOf: at.toISOString(),
        asOfDate: chinaDate(at),
        cycleId,
        trigger: meta.trigger,
        model: { version: model.version, status: model.status, definition: model.definition },
      });
      await writeEncoded(sql, meta, slots, encoded);
      const count = encoded.totals.length;
      await sql.query(
        `UPDATE cycle_chunk SET status = 'done', done_at = now(), worker = $3, entities = $4 WHERE cycle_id = $1 AND chunk_no = $2`,
        [cycleId, chunkNo, this.worker, count],
      );
      return count;
    });
    // Also when the chunk was already done: a retried job may be the one that died before closing.
    await this.closeIfComplete(cycleId);
    return scored;
  }

  /** Whether any work follows this service's chunks (`follow`). */
  get followed(): boolean {
    return this.followers.length > 0;
  }

  /**
   * Runs the followers over one chunk's entities (whatever its state: they do not read scores).
   * Returns their log lines.
   */
  async followChunk(cycleId: number, chunkNo: number, signal?: AbortSignal): Promise<string[]> {
    if (!this.followers.length) return [];
    // Raw SQL: the cycle's bookkeeping (see the class).
    const [c] = await this.db.query<{ fromBucket: number; toBucket: number; from: number; to: number }>(
      `SELECT from_bucket AS "fromBucket", to_bucket AS "toBucket", from_entity AS "from", to_entity AS "to"
       FROM cycle_chunk WHERE cycle_id = $1 AND chunk_no = $2`,
      [cycleId, chunkNo],
    );
    if (!c) return [];
    const lines: string[] = [];
    for (const f of this.followers) lines.push(`${f.name}: ${await f.afterChunk(c, signal)}`);
    return lines;
  }

  /** Every chunk number of the cycle, in order. */
  async chunkNumbers(cycleId: number): Promise<number[]> {
    // Raw SQL: the cycle's bookkeeping (see the class).
    const rows = await this.db.query<{ n: number }>(
      `SELECT chunk_no AS n FROM cycle_chunk WHERE cycle_id = $1 ORDER BY chunk_no`,
      [cycleId],
    );
    return rows.map((r) => r.n);
  }

  /**
   * Closes the cycle once every chunk is done, and tells the departments, in one transaction;
   * idempotent. Each chunk calls it after its own commit, so the last chunk to commit sees every
   * other chunk's commit and closes the cycle, whatever the order chunks end in; a crash between a
   * chunk's commit and this call is mended by the dispatcher's and the resume's calls.
   */
  async closeIfComplete(cycleId: number): Promise<boolean> {
    return this.db.tx(async (sql) => {
      // Raw SQL: one conditional update that closes the cycle only when no chunk is pending, so two
      // last chunks ending together close it once.
      const [cycle] = await sql.query<{ trigger: string; model_version: number; as_of: unknown }>(
        `UPDATE scoring_cycle c SET status = 'done', finished_at = now()
         WHERE c.id = $1 AND c.status = 'running'
           AND NOT EXISTS (SELECT 1 FROM cycle_chunk k WHERE k.cycle_id = c.id AND k.status <> 'done')
         RETURNING c.trigger, c.model_version, c.as_of`,
        [cycleId],
      );
      if (!cycle) return false;
      const [done] = await sql.query<{ entities: number }>(
        `SELECT coalesce(sum(entities), 0)::int AS entities FROM cycle_chunk WHERE cycle_id = $1`,
        [cycleId],
      );
      await this.tellCycleCompleted(
        sql,
        cycleId,
        { entities: done!.entities, trigger: cycle.trigger },
        cycle.model_version,
        new Date(iso(cycle.as_of)),
      );
      return true;
    });
  }
}
