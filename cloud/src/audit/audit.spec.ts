import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Database } from '../db/database';
import { MIGRATIONS_DIR } from '../db/open';
import { migrate } from '../db/migrator';
import { createTestDatabase, refuseInserts, testBackends, type TestDatabase } from '../testing/test-db';
import { appendAudit, canonicalJson, GENESIS_HASH, type AuditEntry } from './audit';
import { AuditSealer, sealAll, sealAudit } from './seal';
import { describeVerification, purgeAudit, verifyAuditChain } from './verify';

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  actorKind: 'user',
  actorId: '1',
  action: 'auth.login',
  objectType: 'app_user',
  objectId: '1',
  ...overrides,
});

const DAY = 86_400_000;

describe('canonicalJson', () => {
  it('ignores key order at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
  });
});

// On a shared server, a writing transaction in another database holds sealing back until it ends.
jest.setTimeout(60_000);

describe.each(testBackends())('audit trail on %s', (backend) => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase(backend);
  }, 60_000);
  beforeEach(() => t.reset());
  afterAll(() => t.drop());

  /** As a superuser would: switch the triggers off, change rows, switch them back on. */
  async function tamper(...statements: Array<[string, unknown[]?]>): Promise<void> {
    await t.db.tx(async (q) => {
      await q.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
      await q.query(`ALTER TABLE audit_seal DISABLE TRIGGER audit_seal_append_only`);
      for (const [sql, params] of statements) await q.query(sql, params ?? []);
      await q.query(`ALTER TABLE audit_seal ENABLE TRIGGER audit_seal_append_only`);
      await q.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
    });
  }

  async function appendAndSeal(n: number): Promise<string[]> {
    for (let i = 0; i < n; i++) await appendAudit(t.db, entry({ objectId: String(i) }));
    expect(await sealAll(t.db)).toMatchObject({ sealed: n, busy: false });
    return (await t.db.query<{ id: string }>(`SELECT id::text AS id FROM audit_log ORDER BY id`)).map((r) => r.id);
  }

  it('chains entries from the genesis hash once sealed, and verifies them', async () => {
    for (let i = 0; i < 5; i++)
      await appendAudit(t.db, entry({ objectId: String(i), detail: { i, nested: { b: 2, a: 1 }, gone: undefined } }));
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, checked: 0, unsealed: 5, anchor: 'empty' });

    expect(await sealAll(t.db, { batchSize: 2 })).toEqual({ sealed: 5, busy: false });
    const sut = await verifyAuditChain(t.db, { pageSize: 2 });

    expect(sut).toMatchObject({ ok: true, checked: 5, unsealed: 0, anchor: 'genesis' });
    const seals = await t.db.query<{ prev_hash: string; audit_id: string }>(
      `SELECT prev_hash, audit_id::text AS audit_id FROM audit_seal ORDER BY seq`,
    );
    expect(seals[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(await sealAll(t.db)).toEqual({ sealed: 0, busy: false });
  });

  it('takes no lock to write: concurrent writers, one sealer, one unforked chain', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => appendAudit(t.db, entry({ objectId: String(i) }))));

    await Promise.all([sealAll(t.db), sealAll(t.db), sealAll(t.db)]);

    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, checked: 20, unsealed: 0 });
  });

  it('refuses UPDATE and DELETE of rows and seals, even from the table owner', async () => {
    await appendAndSeal(1);

    await expect(t.db.query(`UPDATE audit_log SET action = 'nothing.happened'`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only|foreign key/);
    await expect(t.db.query(`UPDATE audit_seal SET hash = repeat('a', 64)`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM audit_seal`)).rejects.toThrow(/append-only/);
    await expect(
      t.db.tx(async (q) => {
        await q.query(`SELECT set_config('heihe.audit_purge', 'on', true)`);
        await q.query(`DELETE FROM audit_seal`);
      }),
    ).rejects.toThrow(/append-only/);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, checked: 1 });
  });

  it('detects a sealed row whose content was altered directly in the database', async () => {
    const ids = await appendAndSeal(4);

    await tamper([`UPDATE audit_log SET detail = '{"decision":"approved"}'::jsonb WHERE id = $1`, [ids[2]]]);

    expect(await verifyAuditChain(t.db)).toMatchObject({
      ok: false,
      checked: 2,
      break: { id: ids[2], reason: 'hash' },
    });
  });

  it('detects a sealed row altered together with its content hash, at its seal', async () => {
    const ids = await appendAndSeal(4);

    await tamper([`UPDATE audit_log SET actor_id = '999', content_hash = $2 WHERE id = $1`, [ids[1], 'b'.repeat(64)]]);
    const [row] = await t.db.query<{ content_hash: string }>(`SELECT content_hash FROM audit_log WHERE id = $1`, [
      ids[1],
    ]);
    expect(row!.content_hash).toBe('b'.repeat(64));

    const sut = await verifyAuditChain(t.db);
    expect(sut).toMatchObject({ ok: false, checked: 1, break: { id: ids[1], reason: 'hash' } });
  });

  it('detects a seal rewritten with a fresh hash', async () => {
    const ids = await appendAndSeal(4);

    await tamper([`UPDATE audit_seal SET hash = repeat('a', 64) WHERE audit_id = $1`, [ids[1]]]);

    const sut = await verifyAuditChain(t.db);
    expect(sut.ok).toBe(false);
    expect(sut.break?.id).toBe(ids[1]);
  });

  it('detects a row deleted with its seal, at the link to the next seal', async () => {
    const ids = await appendAndSeal(4);

    await tamper(
      [`DELETE FROM audit_seal WHERE audit_id = $1`, [ids[2]]],
      [`DELETE FROM audit_log WHERE id = $1`, [ids[2]]],
    );

    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, break: { id: ids[3], reason: 'link' } });
  });

  it('detects a sealed row deleted behind its seal', async () => {
    const ids = await appendAndSeal(3);

    // Every trigger off, the foreign key's too: only the superuser can.
    await t.db.tx(async (q) => {
      await q.query(`ALTER TABLE audit_log DISABLE TRIGGER ALL`);
      await q.query(`DELETE FROM audit_log WHERE id = $1`, [ids[1]]);
      await q.query(`ALTER TABLE audit_log ENABLE TRIGGER ALL`);
    });

    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, break: { id: ids[1], reason: 'missing' } });
  });

  it('refuses to seal a row changed before it was sealed, and verify names it', async () => {
    for (let i = 0; i < 3; i++) await appendAudit(t.db, entry({ objectId: String(i) }));
    const ids = (await t.db.query<{ id: string }>(`SELECT id::text AS id FROM audit_log ORDER BY id`)).map((r) => r.id);
    await tamper([`UPDATE audit_log SET object_id = 'x' WHERE id = $1`, [ids[1]]]);

    const sealed = await sealAll(t.db);

    expect(sealed).toMatchObject({ sealed: 1, blocked: { id: ids[1] } });
    expect(await verifyAuditChain(t.db)).toMatchObject({
      ok: false,
      checked: 1,
      break: { id: ids[1], reason: 'hash' },
    });
  });

  it('fails verification while a row stays unsealed longer than five minutes', async () => {
    await appendAudit(t.db, entry(), { now: new Date(Date.now() - 6 * 60_000) });
    await appendAudit(t.db, entry());

    const sut = await verifyAuditChain(t.db);

    expect(sut).toMatchObject({ ok: false, unsealed: 2, staleUnsealed: 1 });
    expect(describeVerification(sut).exitCode).toBe(1);
    await sealAll(t.db);
    expect(describeVerification(await verifyAuditChain(t.db))).toMatchObject({ exitCode: 0 });
  });

  it('loses nothing when sealing fails mid-batch: the batch rolls back and the next run seals it all', async () => {
    for (let i = 0; i < 5; i++) await appendAudit(t.db, entry({ objectId: String(i) }));
    const undo = await refuseInserts(t.db, 'audit_seal', `NEW.seq = 4`);

    await expect(sealAll(t.db)).rejects.toThrow(/refused by the test/);
    expect(await t.db.query(`SELECT 1 FROM audit_seal`)).toHaveLength(0);

    await undo();
    expect(await sealAll(t.db)).toMatchObject({ sealed: 5 });
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, checked: 5, unsealed: 0 });
  });

  it('seals in the background from start-up until stopped', async () => {
    await appendAudit(t.db, entry({ objectId: 'before start' }));
    const lines: string[] = [];
    const sut = new AuditSealer(t.db, (l) => lines.push(l));

    sut.start(20);
    await appendAudit(t.db, entry({ objectId: 'while running' }));
    for (let i = 0; i < 1500 && (await verifyAuditChain(t.db)).checked < 2; i++)
      await new Promise((r) => setTimeout(r, 20));
    await sut.stop();

    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, checked: 2, unsealed: 0 });
    expect(lines).toEqual([]);
  });

  it('purges only sealed entries older than the retention, with their seals, keeping a chain that still verifies', async () => {
    const now = Date.now();
    for (const daysAgo of [400, 300, 200, 100, 1])
      await appendAudit(t.db, entry({ objectId: `d${daysAgo}` }), { now: new Date(now - daysAgo * DAY) });
    await sealAll(t.db);
    await appendAudit(t.db, entry({ objectId: 'unsealed' }), { now: new Date(now - 500 * DAY) });

    const purged = await purgeAudit(t.db, 250);

    expect(purged).toBe(2);
    const left = await t.db.query<{ object_id: string }>(`SELECT object_id FROM audit_log ORDER BY id`);
    expect(left.map((r) => r.object_id)).toEqual(['d200', 'd100', 'd1', 'unsealed']);
    expect(await t.db.query(`SELECT 1 FROM audit_seal`)).toHaveLength(3);
    expect(await verifyAuditChain(t.db, { maxUnsealedAgeMs: 1000 * DAY })).toMatchObject({
      ok: true,
      checked: 3,
      unsealed: 1,
      anchor: 'retained',
    });
    await sealAll(t.db);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, checked: 4, unsealed: 0 });
  });

  it('refuses a retention shorter than 184 days', async () => {
    await appendAudit(t.db, entry(), { now: new Date(Date.now() - 400 * DAY) });
    await appendAudit(t.db, entry());
    await sealAll(t.db);

    await expect(purgeAudit(t.db, 183)).rejects.toThrow(/184/);
    expect(await t.db.query(`SELECT 1 FROM audit_log`)).toHaveLength(2);
  });

  it('never purges the newest seal, so the next one still links', async () => {
    await appendAudit(t.db, entry({ objectId: 'old' }), { now: new Date(Date.now() - 300 * DAY) });
    await sealAll(t.db);

    expect(await purgeAudit(t.db, 184)).toBe(0);
    await appendAudit(t.db, entry({ objectId: 'new' }));
    await sealAll(t.db);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, checked: 2, anchor: 'genesis' });
  });

  if (backend === 'postgres')
    it('never seals past a row whose transaction is still open, though its id is lower', async () => {
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let inserted!: () => void;
      const insertedEarly = new Promise<void>((r) => (inserted = r));
      const slow = t.db.tx(async (q) => {
        await appendAudit(q, entry({ objectId: 'slow' }));
        inserted();
        await released;
      });
      await insertedEarly;
      await appendAudit(t.db, entry({ objectId: 'fast' }));

      expect(await sealAudit(t.db)).toMatchObject({ sealed: 0 });

      release();
      await slow;
      expect(await sealAll(t.db)).toMatchObject({ sealed: 2 });
      const order = await t.db.query<{ object_id: string; id: string }>(
        `SELECT a.object_id, a.id::text AS id FROM audit_seal s JOIN audit_log a ON a.id = s.audit_id ORDER BY s.seq`,
      );
      expect(order.map((r) => r.object_id)).toEqual(['slow', 'fast']);
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, checked: 2, unsealed: 0 });
    });

  it('skips rows of rolled-back transactions without waiting for them', async () => {
    await t.db
      .tx(async (q) => {
        await appendAudit(q, entry({ objectId: 'rolled back' }));
        throw new Error('abort');
      })
      .catch(() => undefined);
    await appendAudit(t.db, entry({ objectId: 'kept' }));

    expect(await sealAll(t.db)).toMatchObject({ sealed: 1 });
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, checked: 1, unsealed: 0 });
  });
});

describe.each(testBackends())('audit rows written before a crash, on %s', (backend) => {
  /** A database that outlives its handle: a PGlite directory, or a server database. */
  let reopen: () => Promise<Database>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (backend === 'pglite') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-audit-crash-'));
      const first = await Database.open({ kind: 'pglite', dataDir: dir });
      await migrate(first.pglite!, { migrationsDir: MIGRATIONS_DIR });
      await first.close();
      reopen = () => Database.open({ kind: 'pglite', dataDir: dir });
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    } else {
      const t = await createTestDatabase('postgres');
      await t.db.close();
      reopen = () => Database.open({ kind: 'postgres', url: t.url! });
      cleanup = () => t.drop();
    }
  }, 60_000);
  afterAll(() => cleanup());

  it('are sealed on restart, none lost', async () => {
    const before = await reopen();
    for (let i = 0; i < 7; i++) await appendAudit(before, entry({ objectId: String(i) }));
    // The process dies before any sealer ran: the handle goes, the rows stay.
    await before.close();

    const after = await reopen();
    try {
      expect(await verifyAuditChain(after)).toMatchObject({ checked: 0, unsealed: 7 });
      expect(await sealAll(after)).toMatchObject({ sealed: 7 });
      expect(await verifyAuditChain(after)).toMatchObject({ ok: true, checked: 7, unsealed: 0, anchor: 'genesis' });
    } finally {
      await after.close();
    }
  }, 60_000);
});
