import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import zlib from 'node:zlib';
import { bootstrap } from '../bootstrap';
import { Database } from '../db/database';
import { migrate } from '../db/migrator';
import { MIGRATIONS_DIR } from '../db/open';
import { EvidenceService, checkPdfBytes, PdfInspector } from '../evidence';
import { DEMO_ENTERPRISES, seedDemoEnterprises } from '../seed/demo-identities';
import { PiiVault } from '../pii';
import { ModelRepository } from '../scoring';
import { testConfig } from '../testing/config';
import { startFakeWechat } from '../wechat';
import { arg, freshBenchDatabase } from './bench-db';

/**
 * npm run bench -- pdf-attack [--seconds N] [--streams N] [--parallel N]
 *
 * The app as `npm start` assembles it (bootstrap, PostgreSQL), with one verified enterprise user.
 * Health latency (GET /api/health, one request at a time) is measured with no load, then while
 * `parallel` clients upload hostile PDFs back to back: ~1.2 MB each, `streams` object streams
 * inflating to 3 MB apiece and a script hidden in the last one, so each file is decoded to the
 * end before it is refused. For comparison, the same attack with the inspection on the main
 * thread (what the upload did before the worker pool).
 */

const APP_ID = 'wx-bench-pdf';
const APP_SECRET = 'bench-pdf-app-secret';

/** A deterministic generator: the file is the same on every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function hostilePdf(streams: number): Buffer {
  const rand = prng(7);
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n', 'latin1')];
  for (let i = 0; i < streams; i++) {
    // Spaces with sparse noise: ~60 KB deflated, 3 MB inflated.
    const plain = Buffer.alloc(3 * 1024 * 1024, 0x20);
    for (let k = 0; k < plain.length; k++) if (rand() < 0.006) plain[k] = 0x61 + Math.floor(rand() * 26);
    const obj = i === streams - 1 ? '<< /S /JavaScript /JS (app.alert(1)) >>' : '<< /Type /Page >>';
    plain.write(`${10 + i} 0 ${obj}`, plain.length - 64, 'latin1');
    const data = zlib.deflateSync(plain);
    parts.push(
      Buffer.from(
        `${10 + i} 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${data.length} >>\nstream\n`,
        'latin1',
      ),
      data,
      Buffer.from('\nendstream\nendobj\n', 'latin1'),
    );
  }
  parts.push(Buffer.from('trailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1'));
  return Buffer.concat(parts);
}

/**
 * The attackers run in a thread of their own, as they would on another machine: their own work
 * (building and sending 1.2 MB bodies) stays off the app's event loop, whose latency is measured.
 */
const ATTACKERS = `
  const { parentPort, workerData } = require('node:worker_threads');
  const { url, token, pdf, parallel } = workerData;
  let stop = false;
  let uploads = 0;
  parentPort.on('message', () => { stop = true; });
  const once = async () => {
    const form = new FormData();
    form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'attack.pdf');
    const res = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer ' + token }, body: form });
    await res.arrayBuffer();
    return res.status;
  };
  Promise.all(Array.from({ length: parallel }, async () => {
    while (!stop) {
      const status = await once();
      if (status !== 415) throw new Error('the hostile PDF answered ' + status + ', expected 415');
      uploads++;
    }
  })).then(() => parentPort.postMessage({ uploads }), (e) => parentPort.postMessage({ error: String(e) }));`;

const say = (line: string) => process.stdout.write(`${line}\n`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface Latency {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

async function probeHealth(base: string, ms: number): Promise<Latency> {
  const times: number[] = [];
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const t = performance.now();
    const res = await fetch(`${base}/health`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`health answered ${res.status}`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { n: times.length, p50: percentile(times, 50), p99: percentile(times, 99), max: times[times.length - 1]! };
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 10);
  const streams = arg('streams', 20);
  const parallel = arg('parallel', 4);
  const fake = await startFakeWechat({ appId: APP_ID, appSecret: APP_SECRET });
  const bench = await freshBenchDatabase('pdf');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-bench-evidence-'));
  await migrate({ kind: 'postgres', url: bench.url }, { migrationsDir: MIGRATIONS_DIR });
  const db = await Database.open({ kind: 'postgres', url: bench.url });
  try {
    await new ModelRepository(db).ensureDefaultModel();
    const config = testConfig({
      WECHAT_BASE_URL: fake.url,
      WECHAT_APP_ID: APP_ID,
      WECHAT_APP_SECRET: APP_SECRET,
      OUTBOX_RELAY_ENABLED: 'false',
      FACE_VERIFY_ENABLED: 'false',
      EVIDENCE_DIR: dir,
    });
    const vault = new PiiVault(config.PII_ENCRYPTION_KEY, config.PII_HASH_KEY);
    const [seeded] = await seedDemoEnterprises(db, vault);
    const app = await bootstrap(config, db, { logger: false });
    await app.listen(0, '127.0.0.1');
    const base = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api`;
    try {
      const post = async <T>(p: string, body: unknown, token?: string): Promise<T> => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (token) headers.authorization = `Bearer ${token}`;
        const res = await fetch(`${base}${p}`, { method: 'POST', headers, body: JSON.stringify(body) });
        if (res.status >= 300) throw new Error(`POST ${p} answered ${res.status}: ${await res.text()}`);
        return (await res.json()) as T;
      };
      const { code } = (await (
        await fetch(`${fake.url}/__fake/login-code`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({}),
        })
      ).json()) as { code: string };
      const { accessToken } = await post<{ accessToken: string }>('/auth/wechat/login', { code });
      await post('/me/privacy-consent', { version: config.PRIVACY_POLICY_VERSION }, accessToken);
      const rep = DEMO_ENTERPRISES[0].legalRep;
      await post(
        '/identity/verifications',
        { uscc: seeded!.uscc, name: rep.name, idNumber: rep.idNumber },
        accessToken,
      );

      const pdf = hostilePdf(streams);
      const url = `${base}/entities/${seeded!.entityId}/evidence`;
      const underAttack = async (): Promise<{ latency: Latency; uploads: number }> => {
        const attackers = new Worker(ATTACKERS, {
          eval: true,
          workerData: { url, token: accessToken, pdf: new Uint8Array(pdf), parallel },
        });
        const done = new Promise<number>((resolve, reject) => {
          attackers.once('message', (m: { uploads?: number; error?: string }) =>
            m.error ? reject(new Error(m.error)) : resolve(m.uploads!),
          );
          attackers.once('error', reject);
        });
        // Let every attacker get its first file in before measuring.
        await new Promise((r) => setTimeout(r, 500));
        const latency = await probeHealth(base, seconds * 1000);
        attackers.postMessage('stop');
        const uploads = await done;
        await attackers.terminate();
        return { latency, uploads };
      };

      await probeHealth(base, 1000);
      const baseline = await probeHealth(base, seconds * 1000);
      const pooled = await underAttack();
      const evidence = app.get(EvidenceService) as unknown as { pdf: PdfInspector };
      const pool = evidence.pdf;
      evidence.pdf = { check: async (data: Buffer) => checkPdfBytes(data) };
      const inline = await underAttack();
      evidence.pdf = pool;

      const mb = (pdf.length / 1024 / 1024).toFixed(2);
      const row = (name: string, l: Latency, extra = '') =>
        `${name.padEnd(34)} p50 ${l.p50.toFixed(2).padStart(8)} ms   p99 ${l.p99.toFixed(2).padStart(8)} ms   max ${l.max.toFixed(1).padStart(7)} ms   (${l.n} probes${extra})`;
      const ratio = (l: Latency) =>
        `p50 ${(l.p50 / baseline.p50).toFixed(2)}x, p99 ${(l.p99 / baseline.p99).toFixed(2)}x the baseline`;
      say(
        `PDF attack: ${parallel} parallel uploads of a ${mb} MB PDF, ${streams} object streams inflating to ${streams * 3} MB; ${seconds} s per phase; ${os.availableParallelism()} cores, load average ${os.loadavg()[0]!.toFixed(1)}`,
      );
      say(row('baseline (no uploads)', baseline));
      say(row('attack, inspection in worker pool', pooled.latency, `, ${pooled.uploads} files refused`));
      say(`  ${ratio(pooled.latency)}`);
      say(row('attack, inspection on main thread', inline.latency, `, ${inline.uploads} files refused`));
      say(`  ${ratio(inline.latency)}`);
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
    await fake.close();
    await bench.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
