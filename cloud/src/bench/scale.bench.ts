import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS_DIR } from '../db/open';
import { Database } from '../db/database';
import { migrate } from '../db/migrator';
import { IngestRun } from '../ingest';
import { PiiVault } from '../pii';
import { CycleService, ModelRepository } from '../scoring';
import { generateDemoRows } from '../seed/generator';
import { arg, freshBenchDatabase, secs } from './bench-db';
import { CpuMeter, isBackendOf } from './cpu';
import { timedCycle } from './cycle.bench';

/**
 * Node's and the database server's CPU seconds spent in `fn`, with its wall time: this process (its
 * threads included) and the backends serving `dbName`, sampled with `CpuMeter` as sim:shards does,
 * so a backend that ends within the run is counted up to its last sample (at most 500 ms short).
 */
async function measured<T>(dbName: string, fn: () => Promise<T>) {
  const self = String(process.pid);
  const meter = new CpuMeter<'node' | 'server'>((pid, cmd) =>
    pid === self ? 'node' : isBackendOf(dbName, cmd) ? 'server' : null,
  );
  const t = process.hrtime.bigint();
  const result = await fn();
  const wall = secs(t);
  const used = meter.stop();
  return {
    result,
    wallSeconds: +wall.toFixed(2),
    nodeCpuSeconds: +(used.node ?? 0).toFixed(2),
    serverCpuSeconds: +(used.server ?? 0).toFixed(2),
  };
}

const per = (x: number, n: number, unit: number) => +((x / n) * unit).toFixed(3);

/**
 * npm run bench -- scale [--records 500000]: the figures docs/scale.md extrapolates from, on one
 * node. A demo delivery of N rows (the generator's mix: registrations, records, relations) is
 * ingested into a fresh PostgreSQL database and a full cycle scores its entities; for each, the CPU
 * seconds of this process (its threads included) and of the server's backends, per 1M records and
 * per 1k entities; then the bytes per row of every table, from pg_total_relation_size (heap, TOAST
 * and indexes).
 */
async function main() {
  const target = arg('records', 500_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-scale-'));
  const file = path.join(dir, 'delivery.jsonl');
  const out = fs.createWriteStream(file);
  let rows = 0;
  for (const row of generateDemoRows({ entities: Math.ceil(target / 9.5), seed: 42, asOf: '2026-11-01' })) {
    if (rows >= target && row.type === 'registration') break;
    out.write(`${JSON.stringify(row)}\n`);
    rows++;
  }
  await new Promise((r) => out.end(r));

  const bench = await freshBenchDatabase('scale');
  const dbName = new URL(bench.url).pathname.slice(1);
  await migrate({ kind: 'postgres', url: bench.url }, { migrationsDir: MIGRATIONS_DIR });
  const db = await Database.open({ kind: 'postgres', url: bench.url }, { poolSize: 2 });
  try {
    await new ModelRepository(db).ensureDefaultModel();
    const vault = new PiiVault('11'.repeat(32), '22'.repeat(32));
    const ingest = await measured(dbName, async () => {
      const run = await IngestRun.start(db, vault, file, { chunkSize: 5000, rescore: false });
      await run.pushFile(file);
      return run.finish();
    });
    const cycles = new CycleService(db);
    const cycle = await measured(dbName, () => timedCycle(cycles));
    await cycles.close();
    const entities = cycle.result.done.entitiesDone;
    await db.query('ANALYZE');
    const tables = await db.query<{ name: string; rows: number; bytes: number }>(
      `SELECT c.relname AS name, c.reltuples::bigint::float8 AS rows, pg_total_relation_size(c.oid)::float8 AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.reltuples > 0 ORDER BY bytes DESC`,
    );
    const report = {
      rows,
      entities,
      load: os.loadavg().map((l) => +l.toFixed(1)),
      ingest: {
        wallSeconds: ingest.wallSeconds,
        nodeCpuSeconds: ingest.nodeCpuSeconds,
        serverCpuSeconds: ingest.serverCpuSeconds,
        nodeCpuPerMillionRows: per(ingest.nodeCpuSeconds, rows, 1e6),
        serverCpuPerMillionRows: per(ingest.serverCpuSeconds, rows, 1e6),
        inserted: ingest.result.inserted,
        rejected: ingest.result.rejected,
      },
      cycle: {
        wallSeconds: cycle.wallSeconds,
        nodeCpuSeconds: cycle.nodeCpuSeconds,
        serverCpuSeconds: cycle.serverCpuSeconds,
        nodeCpuPerThousandEntities: per(cycle.nodeCpuSeconds, entities, 1e3),
        serverCpuPerThousandEntities: per(cycle.serverCpuSeconds, entities, 1e3),
      },
      bytesPerRow: Object.fromEntries(
        tables.map((t) => [t.name, { rows: t.rows, bytes: t.bytes, perRow: Math.round(t.bytes / t.rows) }]),
      ),
      bytesPerEntity: Math.round(tables.reduce((s, t) => s + t.bytes, 0) / entities),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(
      `ingest: ${report.ingest.nodeCpuPerMillionRows} CPU-s in Node + ${report.ingest.serverCpuPerMillionRows} in PostgreSQL per 1M rows; ` +
        `cycle: ${report.cycle.nodeCpuPerThousandEntities} + ${report.cycle.serverCpuPerThousandEntities} CPU-s per 1k entities; ` +
        `${report.bytesPerEntity} bytes stored per entity\n`,
    );
  } finally {
    await db.close();
    await bench.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module)
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
