import { SUPERSEDED_LINES_LISTED, type IngestReport, type RowError } from '@heihe/shared';
import { SystemClock, type Clock } from '../common/clock';
import type { Database, Sql } from '../db/database';
import { queueOwnershipChange } from '../db/ownership-change';
import type { PiiVault } from '../pii';
import { prepareChunk, type ChunkResult, type PreparedChunk, type RawLine } from './prepare';
import { STAGE_COLUMNS, STAGE_DDL, applyStageSql } from './stage';

export type { ChunkResult, PreparedChunk, RawLine };

/**
 * Superseded lines are kept with the batch's errors, under this field, so that a batch's report
 * (total = the sum of its outcomes) is read back from the database alike for every chunk.
 */
const SUPERSEDED = '(superseded)';

/**
 * The class of ingestion's advisory locks, one per bucket (`pg_advisory_xact_lock(class, bucket)`):
 * a chunk locks the buckets of its rows, so chunks of different buckets run at once and those
 * sharing a bucket take turns (ADR 0024). The set-wise inserts of stage.ts rely on it.
 */
const INGEST_LOCK = 0x48_48_49_4e; // "HHIN"

/**
 * Applies delivered rows set-wise. Each chunk is validated in Node, copied into a temporary
 * staging table with COPY, and applied with a few statements in one transaction: a process killed
 * mid-file leaves whole chunks applied and the rest untouched, and re-running the file is
 * idempotent on (source system, source ID), so a rerun simply completes it.
 */
export class Ingestor {
  constructor(
    private readonly db: Database,
    private readonly vault: PiiVault,
    /** Stamps the versions a chunk writes: the same clock the re-scores read "as of". */
    private readonly clock: Clock = new SystemClock(),
  ) {}

  async startBatch(sourceName: string): Promise<number> {
    const b = await this.db.prisma.ingestBatch.create({
      data: { sourceName, startedAt: this.clock.now() },
      select: { id: true },
    });
    return b.id;
  }

  async finishBatch(batchId: number, status: 'done' | 'failed'): Promise<IngestReport> {
    const prisma = this.db.prisma;
    const { id, ...counts } = await prisma.ingestBatch.update({
      where: { id: batchId },
      data: { status, finishedAt: this.clock.now() },
      select: { id: true, total: true, inserted: true, versioned: true, unchanged: true, rejected: true },
    });
    const errors = await prisma.ingestError.findMany({
      where: { batchId, field: { not: SUPERSEDED } },
      orderBy: [{ line: 'asc' }, { id: 'asc' }],
      select: { line: true, field: true, reason: true },
    });
    const superseded = await prisma.ingestError.count({ where: { batchId, field: SUPERSEDED } });
    const listed = superseded
      ? await prisma.ingestError.findMany({
          where: { batchId, field: SUPERSEDED },
          orderBy: { line: 'asc' },
          take: SUPERSEDED_LINES_LISTED,
          select: { line: true },
        })
      : [];
    return { batchId: id, ...counts, superseded, errors, supersededLines: listed.map((l) => l.line) };
  }

  async applyChunk(batchId: number, lines: RawLine[]): Promise<ChunkResult> {
    return this.apply(batchId, this.prepare(lines));
  }

  /** See `prepareChunk`; `superseded` is the whole delivery's when a repeat may span chunks. */
  prepare(lines: RawLine[], superseded?: ReadonlyMap<number, number>): PreparedChunk {
    return prepareChunk(lines, this.vault, superseded);
  }

  async apply(batchId: number, prepared: PreparedChunk): Promise<ChunkResult> {
    const res: ChunkResult = {
      ...prepared.res,
      errors: [...prepared.res.errors],
      supersededLines: [...prepared.res.supersededLines],
    };
    const changed = new Set<number>();
    const at = this.clock.now();
    await this.db.tx(async (sql) => {
      // Raw SQL: advisory locks, which the client has no API for (see INGEST_LOCK). Taken first and in
      // ascending order, so a chunk waiting for a bucket holds nothing another chunk waits for.
      if (prepared.buckets.length)
        await sql.query(`SELECT pg_advisory_xact_lock($1, b) FROM unnest($2::int[]) AS b ORDER BY b`, [
          INGEST_LOCK,
          prepared.buckets,
        ]);
      // A chunk's commit does not wait for its WAL flush: a server crash may lose the last chunks,
      // together with their batch counters (the batch stays 'running' and a rerun re-applies them).
      // finishBatch commits synchronously, which flushes every chunk before it reports 'done'.
      // Raw SQL: a transaction-local setting.
      await sql.query(`SET LOCAL synchronous_commit = off`);
      if (prepared.stage) {
        // Raw SQL: COPY into a temporary staging table, the ingestion hot path (ADR 0005).
        await sql.query(STAGE_DDL);
        await sql.copyFrom('ingest_stage', STAGE_COLUMNS, prepared.stage);
        await applyStage(sql, prepared.buckets, batchId, at, res, changed);
      }
      // Raw SQL: counters incremented in place, so concurrent chunks of one batch never lose a count.
      await sql.query(
        `UPDATE ingest_batch SET total = total + $2, inserted = inserted + $3, versioned = versioned + $4,
           unchanged = unchanged + $5, rejected = rejected + $6 WHERE id = $1`,
        [batchId, prepared.lines, res.inserted, res.versioned, res.unchanged, res.rejected],
      );
      const mine = [
        ...prepared.res.errors,
        ...prepared.res.supersededLines.map(({ line, by }) => ({ line, field: SUPERSEDED, reason: supersededBy(by) })),
      ];
      if (mine.length)
        // Raw SQL: set-wise; a chunk may reject thousands of lines.
        await sql.query(
          `INSERT INTO ingest_error (batch_id, line, field, reason)
           SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[])`,
          [batchId, mine.map((e) => e.line), mine.map((e) => e.field), mine.map((e) => e.reason)],
        );
    });
    res.changedEntityIds = [...changed].sort((a, b) => a - b);
    return res;
  }
}

const supersededBy = (by: number) => `由第 ${by} 行取代：同一报送中来源系统与来源编号相同的行以最后一行为准`;

/** Raw SQL: the set-wise statements of stage.ts, each once per chunk (ADR 0005). */
async function applyStage(
  sql: Sql,
  buckets: readonly number[],
  batchId: number,
  at: Date,
  res: ChunkResult,
  changed: Set<number>,
) {
  const q = applyStageSql(buckets);
  await sql.query(q.persons);
  const [registered] = await sql.query<{ changed: string[] | null }>(q.entities, [at]);
  await sql.query(q.resolveEntities);
  const missing = await sql.query<RowError>(q.unregistered, [batchId]);
  missing.sort((a, b) => a.line - b.line);
  res.rejected += missing.length;
  res.errors.push(...missing);
  await sql.query(q.newRecords);
  const [v] = await sql.query<{ inserted: number; versioned: number; unchanged: number; entities: number[] | null }>(
    q.versions,
    [at],
  );
  res.inserted += v!.inserted;
  res.versioned += v!.versioned;
  res.unchanged += v!.unchanged;
  for (const id of v!.entities ?? []) changed.add(id);
  let holdings: number[] | null = null;
  for (const text of [q.shareholders, q.investments, q.financings, q.keyPersons]) {
    const [c] = await sql.query<{ inserted: number; versioned: number; unchanged: number; changed?: number[] | null }>(
      text,
    );
    res.inserted += c!.inserted;
    res.versioned += c!.versioned;
    res.unchanged += c!.unchanged;
    if (text === q.shareholders) holdings = c!.changed ?? null;
  }
  // Stored penetrations that read the changed holdings or a newly registered holder are hidden in
  // this transaction (ADR 0022): the writer queues it, no trigger does (ADR 0027).
  await queueOwnershipChange(sql, { companies: holdings, registered: registered!.changed });
}
