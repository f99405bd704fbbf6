import { createTestDatabase, testBackends, type TestDatabase } from '../testing/test-db';
import { appendAudit, canonicalJson, GENESIS_HASH, type AuditEntry } from './audit';
import { purgeAudit, verifyAuditChain } from './verify';

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

describe.each(testBackends())('audit trail on %s', (backend) => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase(backend);
  }, 60_000);
  beforeEach(() => t.reset());
  afterAll(() => t.drop());

  /** As a superuser would: switch the trigger off, change the row, switch it back on. */
  async function tamper(sql: string, params: unknown[] = []): Promise<void> {
    await t.db.tx(async (q) => {
      await q.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
      await q.query(sql, params);
      await q.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
    });
  }

  it('chains entries from the genesis hash and verifies them', async () => {
    for (let i = 0; i < 5; i++)
      await appendAudit(t.db, entry({ objectId: String(i), detail: { i, nested: { b: 2, a: 1 }, gone: undefined } }));

    const sut = await verifyAuditChain(t.db, { pageSize: 2 });

    expect(sut).toMatchObject({ ok: true, checked: 5, anchor: 'genesis' });
    const [first] = await t.db.query<{ prev_hash: string }>(`SELECT prev_hash FROM audit_log ORDER BY id LIMIT 1`);
    expect(first!.prev_hash).toBe(GENESIS_HASH);
  });

  it('keeps one unforked chain under concurrent writers', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => appendAudit(t.db, entry({ objectId: String(i) }))));

    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, checked: 20 });
  });

  it('refuses UPDATE and DELETE, even from the table owner', async () => {
    await appendAudit(t.db, entry());

    await expect(t.db.query(`UPDATE audit_log SET action = 'nothing.happened'`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(
      t.db.tx(async (q) => {
        await q.query(`SELECT set_config('heihe.audit_purge', 'on', true)`);
        await q.query(`DELETE FROM audit_log`);
      }),
    ).rejects.toThrow(/append-only/);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, checked: 1 });
  });

  it('detects a row whose content was altered directly in the database', async () => {
    for (let i = 0; i < 4; i++) await appendAudit(t.db, entry({ objectId: String(i) }));
    const [victim] = await t.db.query<{ id: string }>(
      `SELECT id::text AS id FROM audit_log ORDER BY id OFFSET 2 LIMIT 1`,
    );

    await tamper(`UPDATE audit_log SET detail = '{"decision":"approved"}'::jsonb WHERE id = $1`, [victim!.id]);

    expect(await verifyAuditChain(t.db)).toMatchObject({
      ok: false,
      checked: 2,
      break: { id: victim!.id, reason: 'hash' },
    });
  });

  it('detects a row rewritten with a fresh hash, at the link to the next row', async () => {
    for (let i = 0; i < 4; i++) await appendAudit(t.db, entry({ objectId: String(i) }));
    const rows = await t.db.query<{ id: string }>(`SELECT id::text AS id FROM audit_log ORDER BY id`);

    await tamper(`UPDATE audit_log SET hash = repeat('a', 64) WHERE id = $1`, [rows[1]!.id]);

    const sut = await verifyAuditChain(t.db);
    expect(sut.ok).toBe(false);
    expect(sut.break?.id).toBe(rows[1]!.id);
  });

  it('detects a deleted row in the middle of the chain', async () => {
    for (let i = 0; i < 4; i++) await appendAudit(t.db, entry({ objectId: String(i) }));
    const rows = await t.db.query<{ id: string }>(`SELECT id::text AS id FROM audit_log ORDER BY id`);

    await tamper(`DELETE FROM audit_log WHERE id = $1`, [rows[2]!.id]);

    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, break: { id: rows[3]!.id, reason: 'link' } });
  });

  it('purges only entries older than the retention, keeping a chain that still verifies', async () => {
    const now = Date.now();
    for (const daysAgo of [400, 300, 200, 100, 1])
      await appendAudit(t.db, entry({ objectId: `d${daysAgo}` }), { now: new Date(now - daysAgo * DAY) });

    const purged = await purgeAudit(t.db, 250);

    expect(purged).toBe(2);
    const left = await t.db.query<{ object_id: string }>(`SELECT object_id FROM audit_log ORDER BY id`);
    expect(left.map((r) => r.object_id)).toEqual(['d200', 'd100', 'd1']);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, checked: 3, anchor: 'retained' });
  });

  it('refuses a retention shorter than 184 days', async () => {
    await appendAudit(t.db, entry(), { now: new Date(Date.now() - 400 * DAY) });
    await appendAudit(t.db, entry());

    await expect(purgeAudit(t.db, 183)).rejects.toThrow(/184/);
    expect(await t.db.query(`SELECT 1 FROM audit_log`)).toHaveLength(2);
  });

  it('never purges the newest entry, so the next one still links', async () => {
    await appendAudit(t.db, entry({ objectId: 'old' }), { now: new Date(Date.now() - 300 * DAY) });

    expect(await purgeAudit(t.db, 184)).toBe(0);
    await appendAudit(t.db, entry({ objectId: 'new' }));
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, checked: 2 });
  });
});
