import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IngestReport } from '@heihe/shared';
import { Redis } from 'ioredis';
import { FixedClock } from '../common/clock';
import type { Database } from '../db/database';
import { openDatabase } from '../db/open';
import { usccBucket } from '../db/shard';
import { IngestRun } from '../ingest';
import { PiiVault } from '../pii';
import { BullmqDispatcher, CycleService, ModelRepository, NodeMap, type CycleProgress } from '../scoring';
import { generateDemoRows } from '../seed/generator';
import { arg, secs } from './bench-db';
import { CpuMeter } from './cpu';
import { SimCluster, SimError } from './sim-clusters';

/**
 * npm run sim:shards [-- --entities 100000] [--chunk-size 5000] [--outage 20]: issue 20 item 5b.
 * Citus cannot be installed here, so shards are simulated by PostgreSQL clusters on 127.0.0.1:
 * one single node (sim0) and one cluster per node of SIM_CYCLE_NODES (sim1.., the buckets placed
 * on them). The same demo delivery is ingested into the single node whole and into the shards
 * split by the node of each row's entity bucket; a scoring cycle runs on each side with worker
 * processes (cloud/dist/tools/worker.js) connected to their own database, through BullMQ. It proves
 * (a) the shards' evaluations are byte-identical to the single node's, (b) no chunk touched two
 * instances, (c) a worker SIGKILLed and then a whole shard stopped mid-cycle, the cycle resumes to
 * completion without doubled work; and measures the CPU of ingestion and the cycle on both sides
 * (docs/scale.md). Exits non-zero on any failure; the clusters are dropped whatever happens.
 */

const DATABASE = 'heihe_sim';
const SINGLE_PORT = 5440;
const FIRST_SHARD_PORT = 5441;
const SHARD_BUFFERS_MB = 32;
const NODES_SPEC = process.env.SIM_CYCLE_NODES ?? 's1=0-1364,s2=1365-2729,s3=2730-4095';
const REDIS_URL = process.env.SIM_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Unique per run: the queues never meet a test's or another run's. */
const PREFIX = `heihe-sim-${process.pid}-${Date.now()}`;
/** The deliveries' system time and the cycles' as-of: fixed, so both sides are stamped alike. */
const INGEST_AT = new Date('2026-11-02T00:00:00.000Z');
const CYCLE_AT = new Date('2026-11-02T01:00:00.000Z');
const WORKER_JS = path.join(__dirname, '..', 'tools', 'worker.js');
const TRIGGER = 'sim';

const log = (s: string) => process.stdout.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fixed = (x: number, d = 3) => +x.toFixed(d);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** A database node of the simulation: its cluster, its handle, its cycle service and dispatcher. */
interface Side {
  name: string;
  cluster: SimCluster;
  db: Database;
  cycles: CycleService;
  dispatcher: BullmqDispatcher;
  workers: SimWorker[];
}

interface SimWorker {
  node: string;
  proc: ChildProcess;
  pid: number;
  /** `host:pid`, as cycle_chunk.worker names it. */
  id: string;
  exited: Promise<void>;
}

/** Everything to undo, undone in `cleanup` whether the run passed or not. */
const made = { clusters: [] as SimCluster[], workers: [] as SimWorker[], sides: [] as Side[], dir: '' };

async function startWorker(cluster: SimCluster, nodesSpec: string, node: string): Promise<SimWorker> {
  const proc = spawn(process.execPath, ['--single-threaded-gc', '--initial-old-space-size=128', WORKER_JS], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: cluster.url,
      REDIS_URL,
      QUEUE_PREFIX: PREFIX,
      CYCLE_NODES: nodesSpec,
      CYCLE_NODE: node,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
  const id = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /^worker (\S+) ready$/m.exec(out);
      if (m) {
        proc.stdout!.off('data', onData);
        proc.stdout!.resume();
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', onData);
    proc.once('exit', (code) => reject(new SimError(`节点 ${node} 的 worker 启动失败（退出码 ${code}）：${err}`)));
  });
  const w = { node, proc, pid: proc.pid!, id, exited };
  made.workers.push(w);
  return w;
}

async function stopWorker(w: SimWorker, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (w.proc.exitCode !== null || w.proc.signalCode !== null) return;
  w.proc.kill(signal);
  const t = setTimeout(() => w.proc.kill('SIGKILL'), 15_000);
  await w.exited;
  clearTimeout(t);
}

/** One delivery into one database by the project's ingestion (file path: prepare thread, COPY, set-wise apply). */
async function ingest(db: Database, file: string): Promise<IngestReport> {
  const vault = new PiiVault('11'.repeat(32), '22'.repeat(32));
  const run = await IngestRun.start(db, vault, path.basename(file), {
    chunkSize: 5000,
    rescore: false,
    clock: new FixedClock(INGEST_AT),
  });
  await run.pushFile(file);
  return run.finish();
}

interface Cost {
  wallSeconds: number;
  /** This process and the worker processes (their threads included). */
  nodeCpuSeconds: number;
  /** The backends serving the database, as bench:scale counts them. */
  serverCpuSeconds: number;
  /** The clusters' other processes: WAL writer, checkpointer, autovacuum, postmaster. */
  backgroundCpuSeconds: number;
}

/** Runs `fn` and measures its CPU: Node (this process and `nodePids`), the sides' backends and their clusters' other processes. */
async function measured<T>(
  sides: Side[],
  nodePids: number[],
  fn: () => Promise<T>,
): Promise<{ result: T; cost: Cost }> {
  const pids = new Set([process.pid, ...nodePids].map(String));
  const meter = new CpuMeter<'node' | 'server' | 'background'>((pid, cmd) => {
    if (pids.has(pid)) return 'node';
    for (const s of sides) {
      if (s.cluster.backend(cmd)) return 'server';
      if (s.cluster.owns(cmd)) return 'background';
    }
    return null;
  });
  const t = process.hrtime.bigint();
  const result = await fn();
  const wall = secs(t);
  const used = meter.stop();
  return {
    result,
    cost: {
      wallSeconds: fixed(wall, 2),
      nodeCpuSeconds: fixed(used.node ?? 0, 2),
      serverCpuSeconds: fixed(used.server ?? 0, 2),
      backgroundCpuSeconds: fixed(used.background ?? 0, 2),
    },
  };
}

/**
 * An evaluation's content, as canonical text: the entity's USCC, model version, as-of, trigger,
 * total, grade, points per group and per indicator, and every effect with its record named by its
 * source key instead of its id. Left out: the evaluation's, entity's, record's and cycle's
 * surrogate ids, and created_at.
 */
const CONTENT_SQL = `
SELECT e.uscc, v.model_version, to_char(v.as_of AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS as_of, v.trigger,
  v.total, v.grade, v.groups::text AS groups, v.indicators::text AS indicators,
  (SELECT coalesce(json_agg(CASE WHEN f.rid = '' THEN f.x
            ELSE f.idx || ',' || r.source_system || '/' || r.source_id || substr(f.x, length(f.idx) + length(f.rid) + 2) END
          ORDER BY f.n), '[]'::json)::text
   FROM (SELECT t.x, t.n, split_part(t.x, ',', 1) AS idx, split_part(t.x, ',', 2) AS rid
         FROM json_array_elements_text(v.effects) WITH ORDINALITY AS t(x, n)) f
   LEFT JOIN credit_record r ON r.id = nullif(f.rid, '')::bigint) AS effects
FROM evaluation v JOIN entity e ON e.id = v.entity_id WHERE v.cycle_id = $1`;

type ContentRow = Record<string, unknown> & { uscc: string };
const contentLine = (r: ContentRow) =>
  JSON.stringify([r.uscc, r.model_version, r.as_of, r.trigger, r.total, r.grade, r.groups, r.indicators, r.effects]);

interface Cut {
  side: Side;
  cycleId: number;
}

/** sha256 of each evaluation's content line, with the side it is on, by USCC. */
async function contentHashes(cut: Cut, into = new Map<string, { hash: string; on: Cut }>()) {
  for (const r of await cut.side.db.query<ContentRow>(CONTENT_SQL, [cut.cycleId])) {
    if (into.has(r.uscc))
      throw new SimError(`主体 ${r.uscc} 在 ${into.get(r.uscc)!.on.side.name} 和 ${cut.side.name} 上都有本周期的评价`);
    into.set(r.uscc, { hash: crypto.createHash('sha256').update(contentLine(r)).digest('hex'), on: cut });
  }
  return into;
}

/** One digest over every line's hash, in USCC order. */
function digest(hashes: Map<string, { hash: string }>): string {
  const h = crypto.createHash('sha256');
  for (const k of [...hashes.keys()].sort()) h.update(hashes.get(k)!.hash);
  return h.digest('hex');
}

/** Compares the shards' evaluations with the single node's; throws at the first difference, with both lines. */
async function compareEvaluations(what: string, single: Cut, shards: Cut[]) {
  const reference = await contentHashes(single);
  const union = new Map<string, { hash: string; on: Cut }>();
  for (const s of shards) await contentHashes(s, union);
  const line = async (uscc: string, cut: Cut) => {
    const [r] = await cut.side.db.query<ContentRow>(`${CONTENT_SQL} AND e.uscc = $2`, [cut.cycleId, uscc]);
    return r ? contentLine(r) : '（无）';
  };
  for (const [uscc, ref] of reference) {
    const other = union.get(uscc);
    if (other?.hash === ref.hash) continue;
    throw new SimError(
      `${what}：主体 ${uscc} 的评价不同\n  单节点：${await line(uscc, single)}\n  分片：  ${other ? `${other.on.side.name} ${await line(uscc, other.on)}` : '（分片上没有）'}`,
    );
  }
  if (union.size !== reference.size)
    throw new SimError(`${what}：分片上有 ${union.size} 条评价，单节点 ${reference.size} 条`);
  if (reference.size === 0) throw new SimError(`${what}：没有评价`);
  const d = digest(reference);
  if (digest(union) !== d) throw new SimError(`${what}：摘要不同`);
  return { evaluations: reference.size, sha256: d };
}

interface ChunkRow {
  cycle_id: number;
  chunk_no: number;
  from_bucket: number;
  to_bucket: number;
  status: string;
  worker: string | null;
  entities: number;
  in_range: number;
  evaluated: number;
  attempts: number;
}

/** Each chunk of the cycle with the entities of its range and their evaluations in this cycle. */
const CHUNKS_SQL = `
SELECT k.cycle_id, k.chunk_no, k.from_bucket, k.to_bucket, k.status, k.worker, k.entities, k.attempts,
  (SELECT count(*) FROM entity e WHERE e.id BETWEEN k.from_entity AND k.to_entity AND e.bucket BETWEEN k.from_bucket AND k.to_bucket)::int AS in_range,
  (SELECT count(*) FROM evaluation v JOIN entity e ON e.id = v.entity_id
   WHERE v.cycle_id = k.cycle_id AND e.id BETWEEN k.from_entity AND k.to_entity AND e.bucket BETWEEN k.from_bucket AND k.to_bucket)::int AS evaluated
FROM cycle_chunk k WHERE k.cycle_id = $1 ORDER BY k.chunk_no`;

/**
 * (b) No chunk touched two instances: the shard holds only entities of its own buckets, every
 * chunk's buckets are its node's, every chunk was run by a worker connected to this shard, and
 * the chunk's evaluations are exactly its entities', here. Returns the chunks.
 */
async function checkLocality(side: Side, nodes: NodeMap, cycleId: number, workerIds: Set<string>): Promise<ChunkRow[]> {
  const buckets = await side.db.query<{ bucket: number }>(`SELECT DISTINCT bucket FROM entity`);
  const stray = buckets.filter((b) => nodes.nodeOf(b.bucket) !== side.name);
  if (stray.length)
    throw new SimError(`分片 ${side.name} 上有不属于它的桶：${stray.slice(0, 10).map((b) => b.bucket)}`);
  const chunks = await side.db.query<ChunkRow>(CHUNKS_SQL, [cycleId]);
  for (const c of chunks) {
    const where = `分片 ${side.name} 周期 ${cycleId} 分块 ${c.chunk_no}`;
    for (let b = c.from_bucket; b <= c.to_bucket; b++)
      if (nodes.nodeOf(b) !== side.name) throw new SimError(`${where} 的桶 ${b} 属于节点 ${nodes.nodeOf(b)}`);
    if (c.status !== 'done') throw new SimError(`${where} 未完成（${c.status}）`);
    if (!c.worker || !workerIds.has(c.worker))
      throw new SimError(`${where} 由 ${c.worker} 执行，不是连接本分片的 worker（${[...workerIds].join('、')}）`);
    if (c.entities !== c.in_range || c.evaluated !== c.in_range)
      throw new SimError(`${where}：范围内 ${c.in_range} 户，记为 ${c.entities} 户，评价 ${c.evaluated} 条`);
  }
  return chunks;
}

/** (c) The cycle is done, each entity of the shard evaluated exactly once, and the chunk rows add up. */
async function checkExactlyOnce(side: Side, cycleId: number) {
  const [r] = await side.db.query<{
    status: string;
    total_chunks: number;
    chunk_rows: number;
    done_chunks: number;
    chunk_entities: number;
    entities: number;
    evaluations: number;
    evaluated: number;
  }>(
    `SELECT c.status, c.total_chunks,
       (SELECT count(*) FROM cycle_chunk k WHERE k.cycle_id = c.id)::int AS chunk_rows,
       (SELECT count(*) FROM cycle_chunk k WHERE k.cycle_id = c.id AND k.status = 'done')::int AS done_chunks,
       (SELECT coalesce(sum(entities), 0) FROM cycle_chunk k WHERE k.cycle_id = c.id)::int AS chunk_entities,
       (SELECT count(*) FROM entity)::int AS entities,
       (SELECT count(*) FROM evaluation v WHERE v.cycle_id = c.id)::int AS evaluations,
       (SELECT count(DISTINCT entity_id) FROM evaluation v WHERE v.cycle_id = c.id)::int AS evaluated
     FROM scoring_cycle c WHERE c.id = $1`,
    [cycleId],
  );
  const where = `分片 ${side.name} 周期 ${cycleId}`;
  if (!r) throw new SimError(`${where} 不存在`);
  if (r.status !== 'done') throw new SimError(`${where} 未完成（${r.status}）`);
  if (r.chunk_rows !== r.total_chunks || r.done_chunks !== r.total_chunks)
    throw new SimError(`${where}：${r.total_chunks} 个分块，行 ${r.chunk_rows}，完成 ${r.done_chunks}`);
  if (r.evaluations !== r.entities || r.evaluated !== r.entities || r.chunk_entities !== r.entities)
    throw new SimError(
      `${where}：${r.entities} 户，评价 ${r.evaluations} 条（${r.evaluated} 户），分块记 ${r.chunk_entities} 户`,
    );
  return r;
}

/** Runs the side's cycle to its end through its workers; when its database goes away, waits for it and resumes. */
async function driveCycle(side: Side, chunkSize: number, events: string[]): Promise<CycleProgress> {
  let cycleId: number | undefined;
  for (;;) {
    try {
      const p = await side.cycles.startOrResume({ trigger: TRIGGER, at: CYCLE_AT, chunkSize });
      if (cycleId !== undefined && p.id !== cycleId)
        throw new SimError(`分片 ${side.name}：续跑得到周期 ${p.id}，不是中断的周期 ${cycleId}`);
      if (cycleId !== undefined)
        events.push(`协调进程：分片 ${side.name} 恢复，续跑周期 ${p.id}（已完成 ${p.doneChunks}/${p.totalChunks} 块）`);
      cycleId = p.id;
      return await side.dispatcher.run(p.id);
    } catch (e) {
      if (e instanceof SimError || !side.cluster.expectDown) throw e;
      events.push(`协调进程：分片 ${side.name} 不可达（${(e as Error).message.split('\n')[0]}），等待恢复`);
      const until = Date.now() + 180_000;
      for (;;) {
        await sleep(500);
        try {
          await side.db.query('SELECT 1');
          break;
        } catch {
          if (Date.now() > until) throw new SimError(`分片 ${side.name} 三分钟内没有恢复`);
        }
      }
    }
  }
}

async function openSide(name: string, cluster: SimCluster, nodes: NodeMap): Promise<Side> {
  const db = await openDatabase({ DATABASE_URL: cluster.url, PGLITE_DIR: '' }, { poolSize: 4 });
  const cycles = new CycleService(db, nodes);
  const side = { name, cluster, db, cycles, dispatcher: new BullmqDispatcher(cycles, REDIS_URL, PREFIX), workers: [] };
  made.sides.push(side);
  await new ModelRepository(db).ensureDefaultModel(); // model versions: reference data, on every node
  return side;
}

/** The demo delivery, once whole and once split by the node owning each row's entity bucket. */
async function writeDeliveries(dir: string, entities: number, seed: number, nodes: NodeMap) {
  const open = (name: string) => ({ file: path.join(dir, `${name}.jsonl`), rows: 0, entities: 0 });
  const single = open('single');
  const parts = new Map(nodes.nodes.map((n) => [n, open(n)]));
  const streams = new Map([single, ...parts.values()].map((p) => [p, fs.createWriteStream(p.file)]));
  const write = async (p: ReturnType<typeof open>, line: string) => {
    p.rows++;
    const s = streams.get(p)!;
    if (!s.write(line)) await new Promise<void>((r) => s.once('drain', () => r()));
  };
  for (const row of generateDemoRows({ entities, seed, asOf: '2026-11-01' })) {
    const line = `${JSON.stringify(row)}\n`;
    const part = parts.get(nodes.nodeOf(usccBucket(row.uscc)))!;
    if (row.type === 'registration') {
      single.entities++;
      part.entities++;
    }
    await write(single, line);
    await write(part, line);
  }
  await Promise.all([...streams.values()].map((s) => new Promise((r) => s.end(r))));
  return { single, parts };
}

/** Undoes what `made` holds, once: workers, handles, the run's Redis keys, the clusters, the deliveries. */
async function cleanup(redis: Redis | null) {
  for (const w of made.workers.splice(0)) await stopWorker(w, 'SIGKILL').catch(() => undefined);
  for (const s of made.sides.splice(0)) {
    await s.dispatcher.close().catch(() => undefined);
    await s.cycles.close().catch(() => undefined);
    await s.db.close().catch(() => undefined);
  }
  if (redis) {
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } catch {
      // Redis gone: nothing to clean.
    }
    redis.disconnect();
  }
  for (const c of made.clusters.splice(0).reverse()) {
    const problem = c.drop();
    if (problem) process.stderr.write(`清理失败：${problem}\n`);
  }
  if (made.dir) fs.rmSync(made.dir, { recursive: true, force: true });
  made.dir = '';
}

async function main() {
  const entities = arg('entities', 100_000);
  const seed = arg('seed', 42);
  const chunkSize = arg('chunk-size', 5000);
  const outageSeconds = arg('outage', 20);
  const nodes = new NodeMap(NODES_SPEC);
  if (nodes.nodes.length < 2) throw new SimError(`SIM_CYCLE_NODES 至少要两个节点：${NODES_SPEC}`);
  SimCluster.requireTools();
  if (!fs.existsSync(WORKER_JS)) throw new SimError(`找不到 ${WORKER_JS}：先构建（npm run build -w cloud）`);
  const version = SimCluster.version();
  const startedAt = new Date();
  log(`sim:shards — ${entities} 户，种子 ${seed}，节点 ${NODES_SPEC}，PostgreSQL ${version}，Redis 前缀 ${PREFIX}`);
  log(`开始：${startedAt.toISOString()}，负载 ${load()}`);

  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect().catch((e: Error) => {
      throw new SimError(`连不上 Redis ${REDIS_URL}（SIM_REDIS_URL）：${e.message}`);
    });
    made.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-sim-'));
    const deliveries = await writeDeliveries(made.dir, entities, seed, nodes);
    log(
      `交付：${deliveries.single.rows} 行；按桶拆分 ${[...deliveries.parts].map(([n, p]) => `${n} ${p.rows} 行 ${p.entities} 户`).join('，')}`,
    );

    // Clusters: the single node gets the shards' buffers together, so both sides have the same memory.
    const shardNames = nodes.nodes;
    const settings = (mb: number) => ({ shared_buffers: `${mb}MB`, max_connections: '50' });
    const singleCluster = await SimCluster.create(
      version,
      'sim0',
      SINGLE_PORT,
      DATABASE,
      settings(SHARD_BUFFERS_MB * shardNames.length),
    );
    made.clusters.push(singleCluster);
    const shardClusters: SimCluster[] = [];
    for (const [i, n] of shardNames.entries()) {
      const c = await SimCluster.create(
        version,
        `sim${i + 1}`,
        FIRST_SHARD_PORT + i,
        DATABASE,
        settings(SHARD_BUFFERS_MB),
      );
      made.clusters.push(c);
      shardClusters.push(c);
      log(`集群 ${version}/sim${i + 1}：127.0.0.1:${c.port}，节点 ${n}，shared_buffers ${SHARD_BUFFERS_MB}MB`);
    }
    log(
      `集群 ${version}/sim0：127.0.0.1:${SINGLE_PORT}，单节点，shared_buffers ${SHARD_BUFFERS_MB * shardNames.length}MB`,
    );

    const single = await openSide('main', singleCluster, new NodeMap());
    const shards = await Promise.all(shardNames.map((n, i) => openSide(n, shardClusters[i]!, nodes)));

    // 1. Ingestion: the single node, then the shards side by side (one delivery each).
    const ingestSingle = await measured([single], [], () => ingest(single.db, deliveries.single.file));
    const ingestShards = await measured(shards, [], () =>
      Promise.all(shards.map((s) => ingest(s.db, deliveries.parts.get(s.name)!.file))),
    );
    const counts = ['total', 'inserted', 'versioned', 'unchanged', 'rejected', 'superseded'] as const;
    for (const k of counts) {
      const sum = ingestShards.result.reduce((a, r) => a + r[k], 0);
      if (sum !== ingestSingle.result[k])
        throw new SimError(`导入结果不同：${k} 单节点 ${ingestSingle.result[k]}，分片合计 ${sum}`);
    }
    const versions = async (s: Side) =>
      (await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM credit_record_version`))[0]!.n;
    const records = await versions(single);
    const shardRecords = (await Promise.all(shards.map(versions))).reduce((a, b) => a + b, 0);
    if (shardRecords !== records) throw new SimError(`记录版本：单节点 ${records}，分片合计 ${shardRecords}`);
    log(`导入：两边结果相同（${counts.map((k) => `${k} ${ingestSingle.result[k]}`).join('，')}），记录版本 ${records}`);

    // 2. The cycle: as many workers on each side (one per shard; as many on the single node).
    single.workers = await Promise.all(shards.map(() => startWorker(single.cluster, NodeMap.DEFAULT, 'main')));
    for (const s of shards) s.workers = [await startWorker(s.cluster, NODES_SPEC, s.name)];
    const pidsOf = (sides: Side[]) => sides.flatMap((s) => s.workers.map((w) => w.pid));
    const cycleSingle = await measured([single], pidsOf([single]), () => driveCycle(single, chunkSize, []));
    const cycleShards = await measured(shards, pidsOf(shards), () =>
      Promise.all(shards.map((s) => driveCycle(s, chunkSize, []))),
    );
    for (const w of single.workers) await stopWorker(w);

    // (a) Byte-identical evaluations.
    const a = await compareEvaluations(
      '(a)',
      { side: single, cycleId: cycleSingle.result.id },
      shards.map((s, i) => ({ side: s, cycleId: cycleShards.result[i]!.id })),
    );
    log(
      `✔ (a) 分片并集的评价与单节点逐字节相同：${a.evaluations} 条，sha256 ${a.sha256}` +
        `（比较：USCC、模型版本、评价时点、触发方式、总分、等级、分组分与指标分、每条加减分及其记录的来源键；不比较代理 id 与 created_at）`,
    );

    // (b) No chunk touched two instances.
    let chunksA = 0;
    for (const [i, s] of shards.entries()) {
      const rows = await checkLocality(s, nodes, cycleShards.result[i]!.id, new Set(s.workers.map((w) => w.id)));
      chunksA += rows.length;
    }
    log(
      `✔ (b) ${chunksA} 个分块，每块的桶都属于执行它的分片，每块由连接该分片的 worker 执行，评价都写在该分片，且各分片只有自己的桶`,
    );

    // 3. (c) Faults: a second cycle on the shards (same as-of), with smaller chunks so that there is a middle to hit.
    const faultChunk = Math.max(20, Math.ceil(Math.max(...[...deliveries.parts.values()].map((p) => p.entities)) / 20));
    const [killShard, stopShard] = [shards[0]!, shards[1] ?? shards[0]!];
    const events: string[] = [];
    const stopQueue = stopShard.dispatcher.queueOf(stopShard.name);
    await stopQueue.pause(); // the shard to stop waits until the kill is done
    const running = Promise.all(shards.map((s) => driveCycle(s, faultChunk, events)));
    running.catch(() => undefined);
    /**
     * Waits for the middle of the shard's fault cycle: a chunk done and another one's transaction
     * open, seen as its chunk row locked by the worker (a NOWAIT lock attempt fails).
     */
    const midChunk = async (s: Side, what: string) => {
      const q = s.dispatcher.queueOf(s.name);
      for (const until = Date.now() + 120_000; Date.now() < until; await sleep(10)) {
        const p = await s.cycles.latest();
        if (!p || p.id === cycleShards.result[shards.indexOf(s)]!.id) continue;
        if (p.status === 'done') break;
        if (p.doneChunks < 1) continue;
        for (const job of await q.getActive()) {
          try {
            // Raw SQL: a probe of the row lock the chunk's transaction holds.
            const free = await s.db.query(
              `SELECT 1 FROM cycle_chunk WHERE cycle_id = $1 AND chunk_no = $2 AND status <> 'done' FOR UPDATE NOWAIT`,
              [p.id, job.data.chunkNo],
            );
            if (free.length) continue; // claimed by nobody yet
          } catch (e) {
            if ((e as { code?: string }).code === '55P03')
              return { cycleId: p.id, chunkNo: job.data.chunkNo, jobId: job.id! };
            throw e;
          }
        }
      }
      throw new SimError(`(c) 没能在周期中途${what}（分块太少？试试更多主体）`);
    };

    const victim = killShard.workers[0]!;
    const k = await midChunk(killShard, '杀掉 worker');
    victim.proc.kill('SIGKILL');
    await victim.exited;
    const kp = await killShard.cycles.progress(k.cycleId);
    events.push(
      `SIGKILL 分片 ${killShard.name} 的 worker ${victim.id}，正在执行分块 ${k.chunkNo}（周期 ${k.cycleId}，之后已完成 ${kp.doneChunks}/${kp.totalChunks}）`,
    );
    const replacement = await startWorker(killShard.cluster, NODES_SPEC, killShard.name);
    killShard.workers.push(replacement);
    events.push(
      `分片 ${killShard.name} 起新 worker ${replacement.id}（如进程管理器所做）；被杀的任务待 BullMQ 判定停滞后重跑`,
    );

    await stopQueue.resume();
    const st = await midChunk(stopShard, '停掉分片');
    stopShard.cluster.expectDown = true;
    stopShard.cluster.stop('immediate');
    events.push(
      `pg_ctlcluster ${version} ${stopShard.cluster.name} stop -m immediate：分片 ${stopShard.name} 在分块 ${st.chunkNo} 执行中停机（周期 ${st.cycleId}），${outageSeconds} 秒后重启`,
    );
    await sleep(outageSeconds * 1000);
    stopShard.cluster.start();
    events.push(`分片 ${stopShard.name} 重启（崩溃恢复）`);
    const faulted = await running;
    stopShard.cluster.expectDown = false;
    for (const e of events) log(`  · ${e}`);

    const killedJob = await killShard.dispatcher.queueOf(killShard.name).getJob(k.jobId);
    const stoppedJob = await stopShard.dispatcher.queueOf(stopShard.name).getJob(st.jobId);
    const [redone] = await killShard.db.query<{ worker: string }>(
      `SELECT worker FROM cycle_chunk WHERE cycle_id = $1 AND chunk_no = $2`,
      [k.cycleId, k.chunkNo],
    );
    if (!redone || redone.worker === victim.id)
      throw new SimError(`(c) 分块 ${k.chunkNo} 由被杀的 worker 提交：SIGKILL 晚于它的提交，不在分块中途`);
    for (const [i, s] of shards.entries()) {
      const id = faulted[i]!.id;
      await checkLocality(s, nodes, id, new Set(s.workers.map((w) => w.id)));
      const r = await checkExactlyOnce(s, id);
      log(
        `  分片 ${s.name} 周期 ${id}：完成，${r.total_chunks}/${r.total_chunks} 块，${r.entities} 户各一条评价（${r.evaluations} 条，${r.evaluated} 户），分块合计 ${r.chunk_entities} 户`,
      );
    }
    const c = await compareEvaluations(
      '(c)',
      { side: single, cycleId: cycleSingle.result.id },
      shards.map((s, i) => ({ side: s, cycleId: faulted[i]!.id })),
    );
    log(
      `✔ (c) 故障周期续跑完成，无重复：每户恰一条评价，分块记账一致；被杀的分块 ${k.chunkNo} 回滚，由 ${redone.worker} 重做（BullMQ：开始 ${killedJob?.attemptsStarted ?? '?'} 次，停滞 ${killedJob?.stalledCounter ?? '?'} 次）；` +
        `停机时的分块 ${st.chunkNo}：BullMQ 开始 ${stoppedJob?.attemptsStarted ?? '?'} 次（停机超出重试时，续跑重置计数）；` +
        `评价仍与单节点逐字节相同（${c.evaluations} 条，sha256 ${c.sha256}）`,
    );

    // 4. The figures.
    const perK = (x: number, n: number) => fixed((x / n) * 1e3, 4);
    const perM = (x: number, n: number) => fixed((x / n) * 1e6, 2);
    const rows = deliveries.single.rows;
    const n = cycleSingle.result.entitiesDone;
    const total = (c: Cost) => c.nodeCpuSeconds + c.serverCpuSeconds;
    const row = (label: string, c: Cost, unit: 'rows' | 'entities') => ({
      label,
      ...c,
      nodePer: unit === 'rows' ? perM(c.nodeCpuSeconds, rows) : perK(c.nodeCpuSeconds, n),
      serverPer: unit === 'rows' ? perM(c.serverCpuSeconds, rows) : perK(c.serverCpuSeconds, n),
      perMillionRecords: perM(total(c), unit === 'rows' ? rows : records),
      perThousandEntities: perK(total(c), n),
    });
    const report = {
      entities: n,
      rows,
      records,
      nodes: NODES_SPEC,
      load: load(),
      ingest: { single: row('single', ingestSingle.cost, 'rows'), shards: row('shards', ingestShards.cost, 'rows') },
      cycle: {
        single: row('single', cycleSingle.cost, 'entities'),
        shards: row('shards', cycleShards.cost, 'entities'),
      },
      overhead: {
        ingest: fixed(total(ingestShards.cost) / total(ingestSingle.cost), 2),
        cycle: fixed(total(cycleShards.cost) / total(cycleSingle.cost), 2),
        ingestWithBackground: fixed(
          (total(ingestShards.cost) + ingestShards.cost.backgroundCpuSeconds) /
            (total(ingestSingle.cost) + ingestSingle.cost.backgroundCpuSeconds),
          2,
        ),
        cycleWithBackground: fixed(
          (total(cycleShards.cost) + cycleShards.cost.backgroundCpuSeconds) /
            (total(cycleSingle.cost) + cycleSingle.cost.backgroundCpuSeconds),
          2,
        ),
      },
      evaluationsSha256: a.sha256,
    };
    log('');
    log(`CPU（Node = 本进程与 worker 进程；PostgreSQL = 服务该库的后端进程；后台 = 各集群的其他进程）`);
    log(`                 Node CPU-s  PG CPU-s  后台  墙钟 s  Node+PG 每百万行/记录  每千户`);
    for (const [what, r] of [
      ['导入 单节点', report.ingest.single],
      ['导入 分片  ', report.ingest.shards],
      ['周期 单节点', report.cycle.single],
      ['周期 分片  ', report.cycle.shards],
    ] as const)
      log(
        `${what}      ${String(r.nodeCpuSeconds).padStart(7)}  ${String(r.serverCpuSeconds).padStart(8)}  ${String(r.backgroundCpuSeconds).padStart(4)}  ${String(r.wallSeconds).padStart(6)}  ${String(r.perMillionRecords).padStart(20)}  ${String(r.perThousandEntities).padStart(6)}`,
      );
    log(
      `开销系数（分片 ÷ 单节点，Node + PG）：导入 ${report.overhead.ingest}×，周期 ${report.overhead.cycle}×；含后台进程：导入 ${report.overhead.ingestWithBackground}×，周期 ${report.overhead.cycleWithBackground}×`,
    );
    log(`结束：负载 ${load()}，用时 ${fixed((Date.now() - startedAt.getTime()) / 1000, 0)} 秒`);
    log(JSON.stringify(report));
  } finally {
    await cleanup(redis);
  }
}

if (require.main === module) {
  const abort = (signal: NodeJS.Signals) => {
    process.stderr.write(`收到 ${signal}，清理模拟集群后退出\n`);
    void cleanup(null).finally(() => process.exit(130));
  };
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  main().then(
    () => {
      log('sim:shards 通过');
      process.exit(0);
    },
    (e) => {
      process.stderr.write(
        `sim:shards 失败：${e instanceof SimError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
      );
      process.exit(1);
    },
  );
}
