import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { createApiClient } from '../auth';
import { bootstrap } from '../bootstrap';
import { loadConfig } from '../config/config';
import { Database } from '../db/database';
import { MIGRATIONS_DIR } from '../db/open';
import { migrate } from '../db/migrator';
import { seedDemoEnterprises } from '../seed/demo-identities';
import { PiiVault } from '../pii';
import { ModelRepository } from '../scoring';
import { ensureDemoCase } from '../seed/demo';
import { seedDemo } from '../seed/seed';
import { startFakeWechat } from '../wechat';
import { arg } from './bench-db';

/** What the server process hands the load generator once it listens. */
interface Target {
  backend: 'postgres' | 'pglite';
  baseUrl: string;
  entityId: number;
  enterpriseToken: string;
  bankKey: string;
}

interface Operation {
  name: string;
  path: string;
  headers: Record<string, string>;
}

interface Measured {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  ratioToFloor: number;
}

const APP_ID = 'wx-bench-api';
const APP_SECRET = 'bench-api-app-secret';

/** A fresh database on the server of DATABASE_URL / TEST_DATABASE_URL, or null for PGlite. */
async function freshServerDatabase(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const admin = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!admin) return null;
  const name = `bench_api_${Date.now()}_${crypto.randomBytes(3).toString('hex')}`;
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

async function post<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url}: HTTP ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/**
 * The server side, in its own process so that the load generator does not share its event loop:
 * a fresh database (seeded with the demo population, the two demo enterprises and the demo case),
 * the app as `bootstrap` assembles it, an enterprise user signed in through the fake WeChat and
 * verified as the first demo enterprise's legal representative, and a bank API key.
 */
async function serve(entities: number): Promise<void> {
  const server = await freshServerDatabase();
  const fake = await startFakeWechat({ appId: APP_ID, appSecret: APP_SECRET });
  let db: Database;
  if (server) {
    await migrate({ kind: 'postgres', url: server.url }, { migrationsDir: MIGRATIONS_DIR });
    db = await Database.open({ kind: 'postgres', url: server.url });
  } else {
    db = await Database.open({ kind: 'pglite' });
    await migrate(db.pglite!, { migrationsDir: MIGRATIONS_DIR });
  }
  await new ModelRepository(db).ensureDefaultModel();
  const config = loadConfig({
    NODE_ENV: 'development',
    ...(server ? { DATABASE_URL: server.url } : {}),
    WECHAT_BASE_URL: fake.url,
    WECHAT_APP_ID: APP_ID,
    WECHAT_APP_SECRET: APP_SECRET,
    SCORING_CYCLE_AT: 'off',
    OUTBOX_RELAY_ENABLED: 'false',
    EVIDENCE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-bench-api-')),
  });
  const vault = new PiiVault(config.PII_ENCRYPTION_KEY, config.PII_HASH_KEY);
  const today = new Date().toISOString().slice(0, 10);
  await seedDemo(db, vault, { entities, seed: 20230530, asOf: today });
  const [enterprise] = await seedDemoEnterprises(db, vault);
  await ensureDemoCase(db, vault, today);
  // Fresh statistics, and the loading's dead rows out of the way, before anything is measured.
  await db.query('VACUUM ANALYZE');
  const app = await bootstrap(config, db, { logger: false });
  await app.listen(0, '127.0.0.1');
  const baseUrl = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api`;

  const { code } = await post<{ code: string }>(`${fake.url}/__fake/login-code`, { openid: 'o-bench-api' });
  const login = await post<{ accessToken: string }>(`${baseUrl}/auth/wechat/login`, { code });
  const auth = { authorization: `Bearer ${login.accessToken}` };
  await post(`${baseUrl}/me/privacy-consent`, { version: config.PRIVACY_POLICY_VERSION }, auth);
  const elements = { uscc: enterprise!.uscc, name: enterprise!.legalRep.name, idNumber: enterprise!.legalRep.idNumber };
  const { verifyToken } = await post<{ verifyToken: string }>(`${baseUrl}/identity/face-verifications`, elements, auth);
  await post(`${baseUrl}/identity/verifications`, { ...elements, verifyToken }, auth);
  const bank = await createApiClient(db, {
    name: '压测银行',
    kind: 'bank',
    scopes: ['evaluations:read', 'statistics:read'],
  });

  const target: Target = {
    backend: server ? 'postgres' : 'pglite',
    baseUrl,
    entityId: enterprise!.entityId,
    enterpriseToken: login.accessToken,
    bankKey: bank.apiKey,
  };
  process.send!({ ready: target });
  process.on('message', (m: { stop?: boolean }) => {
    if (!m.stop) return;
    void (async () => {
      await app.close();
      await fake.close();
      await server?.drop();
      process.exit(0);
    })();
  });
}

function run(url: string, headers: Record<string, string>, seconds: number, connections: number) {
  return autocannon({ url, headers, duration: seconds, connections });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function waitReady(child: ChildProcess): Promise<Target> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the server process exited (${code}) before it was ready`)));
    child.on('message', (m: { ready?: Target }) => m.ready && resolve(m.ready));
  });
}

/**
 * npm run bench:api [-- --seconds 10 --connections 50 --rounds 3 --entities 2000]: the read API
 * under load, against its own floor. One seeded database (PostgreSQL on the server of
 * DATABASE_URL or TEST_DATABASE_URL, in a fresh database dropped afterwards; else in-memory
 * PGlite), one API process, and autocannon in this process. After a short warm-up of each, every
 * round runs `/api/health` (the floor: the app's request path and one `SELECT 1`) and then each
 * read for `--seconds` at `--connections`. Prints a JSON summary: per operation the median over
 * the rounds of req/s, p50 and p99 (ms), and of req/s as a share of the same round's floor.
 */
async function main(): Promise<void> {
  const seconds = arg('seconds', 10);
  const connections = arg('connections', 50);
  const entities = arg('entities', 2000);
  const roundCount = arg('rounds', 3);
  const child = fork(__filename, ['--serve', String(entities)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const t = await waitReady(child);
    const enterprise = { authorization: `Bearer ${t.enterpriseToken}` };
    const bank = { 'x-api-key': t.bankKey };
    const ops: Operation[] = [
      { name: 'health (floor)', path: '/health', headers: {} },
      { name: 'getEntityEvaluation (enterprise)', path: `/entities/${t.entityId}/evaluation`, headers: enterprise },
      { name: 'getEntityEvaluation (bank key)', path: `/entities/${t.entityId}/evaluation`, headers: bank },
      { name: 'listEvaluationHistory (bank key)', path: `/entities/${t.entityId}/evaluations`, headers: bank },
      { name: 'getGradeDistribution (bank key)', path: '/statistics/grades', headers: bank },
    ];
    for (const op of ops) {
      const probe = await fetch(`${t.baseUrl}${op.path}`, { headers: op.headers });
      if (!probe.ok) throw new Error(`${op.name}: HTTP ${probe.status} ${await probe.text()}`);
      await run(`${t.baseUrl}${op.path}`, op.headers, Math.min(2, seconds), Math.min(10, connections));
    }
    // The machine is shared: each round measures the floor and every read back to back, and a
    // read's ratio to the floor is taken within its round; the summary gives the medians.
    const rounds: Array<Array<{ reqPerSec: number; p50: number; p99: number; non2xx: number; errors: number }>> = [];
    for (let round = 1; round <= roundCount; round++) {
      const measured = [];
      for (const op of ops) {
        const r = await run(`${t.baseUrl}${op.path}`, op.headers, seconds, connections);
        measured.push({
          reqPerSec: r.requests.average,
          p50: r.latency.p50,
          p99: r.latency.p99,
          non2xx: r.non2xx,
          errors: r.errors + r.timeouts,
        });
        process.stderr.write(
          `round ${round} ${op.name}: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms\n`,
        );
      }
      rounds.push(measured);
    }
    const results: Measured[] = ops.map((op, i) => ({
      name: op.name,
      reqPerSec: Math.round(median(rounds.map((m) => m[i]!.reqPerSec))),
      p50: median(rounds.map((m) => m[i]!.p50)),
      p99: median(rounds.map((m) => m[i]!.p99)),
      non2xx: rounds.reduce((n, m) => n + m[i]!.non2xx, 0),
      errors: rounds.reduce((n, m) => n + m[i]!.errors, 0),
      ratioToFloor: Number(median(rounds.map((m) => m[i]!.reqPerSec / m[0]!.reqPerSec)).toFixed(3)),
    }));
    process.stdout.write(
      `${JSON.stringify({ backend: t.backend, seconds, connections, rounds: roundCount, entities, operations: results }, null, 2)}\n`,
    );
  } finally {
    child.send({ stop: true });
    await new Promise((r) => child.once('exit', r));
  }
}

if (process.argv[2] === '--serve') {
  serve(Number(process.argv[3])).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
} else {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
