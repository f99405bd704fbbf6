import { spawnSync } from 'node:child_process';
import { Client } from 'pg';

/** A fresh database on the benchmark server (BENCH_DATABASE_URL, else the local test server). */
export async function freshBenchDatabase(tag: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin =
    process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `bench_${tag}_${Date.now()}`;
  const c = new Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const d = new Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}

/** Runs one psql command (for COPY, which the pg driver alone cannot stream); returns seconds. */
export function psql(url: string, command: string): number {
  const t = process.hrtime.bigint();
  const r = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', command], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e9;
}

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

export function secs(from: bigint): number {
  return Number(process.hrtime.bigint() - from) / 1e9;
}
