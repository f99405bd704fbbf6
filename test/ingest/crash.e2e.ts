import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nodeArgs } from '../../cloud/src/common/worker-path';
import { generateDemoRows } from '../../cloud/src/seed/generator';
import { requireService } from '../../cloud/src/testing/services';
import { createTestDatabase, type TestDatabase } from '../../cloud/src/testing/test-db';

const pgUrl = process.env.TEST_DATABASE_URL;

/** `npm run ingest`, from the sources under test (worker-path), never a build that may be older. */
function runIngest(url: string, file: string, onSpawn?: (kill: () => void) => void): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, nodeArgs('tools/ingest', [file, '--no-rescore']), {
      env: { ...process.env, DATABASE_URL: url, INGEST_CHUNK_SIZE: '500', NODE_ENV: 'test' },
      stdio: 'ignore',
    });
    onSpawn?.(() => child.kill('SIGKILL'));
    child.on('exit', (code) => resolve(code));
  });
}

async function fingerprint(t: TestDatabase) {
  const [f] = await t.db.query(
    `SELECT (SELECT count(*)::int FROM entity) AS entities,
            (SELECT count(*)::int FROM credit_record) AS records,
            (SELECT count(*)::int FROM credit_record_version) AS versions,
            (SELECT md5(string_agg(content_hash, ',' ORDER BY content_hash)) FROM credit_record_version) AS content,
            (SELECT count(*)::int FROM shareholder) AS shareholders,
            (SELECT count(*)::int FROM investment) AS investments,
            (SELECT count(*)::int FROM financing) AS financings`,
  );
  return f;
}

// A killed process must leave whole chunks only; the CLI needs a database other processes can open.
const runs = requireService('postgres', Boolean(pgUrl), 'the ingestion crash suite');
(runs ? describe : describe.skip)('bulk ingestion killed mid-file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-crash-'));
  const file = path.join(dir, 'delivery.jsonl');
  let killed: TestDatabase;
  let clean: TestDatabase;

  beforeAll(async () => {
    const out = fs.createWriteStream(file);
    for (const row of generateDemoRows({ entities: 2500, seed: 11, asOf: '2026-11-01' }))
      out.write(`${JSON.stringify(row)}\n`);
    await new Promise((r) => out.end(r));
    [killed, clean] = await Promise.all([createTestDatabase('postgres'), createTestDatabase('postgres')]);
  }, 120_000);
  afterAll(async () => {
    await killed?.drop();
    await clean?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves only whole chunks behind, and a rerun completes to exactly what a clean run gives', async () => {
    let progressed = 0;
    const code = await runIngest(killed.url!, file, (kill) => {
      const poll = setInterval(async () => {
        const [b] = await killed.db.query<{ total: number }>(
          `SELECT coalesce(max(total), 0)::int AS total FROM ingest_batch`,
        );
        if (b!.total >= 3000) {
          progressed = b!.total;
          clearInterval(poll);
          kill();
        }
      }, 20);
    });

    expect(code).toBeNull();
    const [batch] = await killed.db.query<{ total: number; inserted: number; status: string }>(
      `SELECT total, inserted, status FROM ingest_batch`,
    );
    expect(batch!.status).toBe('running');
    expect(batch!.total % 500).toBe(0);
    expect(batch!.total).toBeGreaterThanOrEqual(progressed);
    const partial = (await fingerprint(killed)) as Record<string, number>;
    const applied = partial.versions! + partial.shareholders! + partial.investments! + partial.financings!;
    expect(applied).toBe(batch!.inserted);

    expect(await runIngest(killed.url!, file)).toBe(0);
    expect(await runIngest(clean.url!, file)).toBe(0);
    expect(await fingerprint(killed)).toEqual(await fingerprint(clean));
  }, 180_000);
});
