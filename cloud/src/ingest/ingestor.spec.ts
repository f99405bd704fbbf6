import { makeIdNumber, makeUscc } from '@heihe/shared';
import { FixedClock } from '../common/clock';
import { factsAsOf } from '../records';
import { PiiVault } from '../pii';
import { createTestDatabase, refuseInserts, testBackends, type TestDatabase } from '../testing/test-db';
import { Ingestor, type RawLine } from './ingestor';

const vault = new PiiVault('11'.repeat(32), '22'.repeat(32));
const USCC = makeUscc('91231102MA0000001');
const OTHER = makeUscc('91231181MA0000002');
const REP_ID = makeIdNumber('23110219800101001');

function registration(overrides: Record<string, unknown> = {}) {
  return {
    type: 'registration',
    sourceSystem: 'scjg',
    sourceId: `REG-${(overrides.uscc as string) ?? USCC}`,
    uscc: USCC,
    name: '黑河测试粮食加工有限公司',
    entityType: '有限责任公司',
    establishedOn: '2015-03-02',
    registeredCapital: 5_000_000,
    paidInCapital: 3_000_000,
    industryCode: 'C1310',
    regionCode: '231102',
    legalRepName: '王建国',
    legalRepIdNumber: REP_ID,
    ...overrides,
  };
}

function penalty(overrides: Record<string, unknown> = {}) {
  return {
    type: 'record',
    kind: 'penalty',
    sourceSystem: 'scjg',
    sourceId: 'PEN-1',
    uscc: USCC,
    severity: 'general',
    occurredOn: '2026-06-01',
    documentNo: '黑市监罚〔2026〕12号',
    authority: '黑河市市场监督管理局',
    ...overrides,
  };
}

const lines = (...raws: unknown[]): RawLine[] => raws.map((raw, i) => ({ line: i + 1, raw }));

async function count(t: TestDatabase, table: string): Promise<number> {
  const [r] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return r!.n;
}

describe.each(testBackends())('ingestion on %s', (backend) => {
  let t: TestDatabase;
  let sut: Ingestor;

  beforeAll(async () => {
    t = await createTestDatabase(backend);
    sut = new Ingestor(t.db, vault);
  }, 60_000);
  beforeEach(() => t.reset());
  afterAll(() => t.drop());

  it('stores a registration as an entity, its legal representative encrypted, and a versioned record', async () => {
    const batch = await sut.startBatch('test');
    const r = await sut.applyChunk(batch, lines(registration()));

    expect(r).toMatchObject({ inserted: 1, rejected: 0 });
    const [e] = await t.db.query<{ uscc: string; ok: boolean; legal_rep_id: number }>(
      `SELECT uscc, uscc_checksum_ok AS ok, legal_rep_id FROM entity`,
    );
    expect(e).toMatchObject({ uscc: USCC, ok: true });
    const [p] = await t.db.query<{ cipher: string; masked: string; hash: string }>(
      `SELECT id_number_cipher AS cipher, id_number_masked AS masked, id_number_hash AS hash FROM person WHERE id = $1`,
      [e!.legal_rep_id],
    );
    expect(p!.cipher).not.toContain(REP_ID);
    expect(vault.open(p!.cipher)).toBe(REP_ID);
    expect(p!.masked).toBe(`${REP_ID.slice(0, 4)}**********${REP_ID.slice(14)}`);
    expect(p!.hash).toBe(vault.hash(REP_ID));
    const [payload] = await t.db.query<{ payload: string }>(`SELECT payload::text FROM credit_record_version`);
    expect(payload!.payload).not.toContain(REP_ID);
  });

  it('changes nothing when the same delivery arrives again', async () => {
    const rows = lines(registration(), penalty(), penalty({ sourceId: 'PEN-2', severity: 'minor' }));
    const batch = await sut.startBatch('first');
    await sut.applyChunk(batch, rows);
    const before = await t.db.query(
      `SELECT id, record_id, version, recorded_at::text, superseded_at::text FROM credit_record_version ORDER BY id`,
    );

    const again = await sut.applyChunk(await sut.startBatch('again'), rows);

    expect(again).toMatchObject({ inserted: 0, versioned: 0, unchanged: 3, rejected: 0, changedEntityIds: [] });
    expect(
      await t.db.query(
        `SELECT id, record_id, version, recorded_at::text, superseded_at::text FROM credit_record_version ORDER BY id`,
      ),
    ).toEqual(before);
  });

  it('adds a version for a changed payload and keeps the old one readable as of before the change', async () => {
    const clock = new FixedClock(new Date('2026-06-01T02:00:00Z'));
    const clocked = new Ingestor(t.db, vault, clock);
    const batch = await clocked.startBatch('b');
    await clocked.applyChunk(batch, lines(registration(), penalty()));
    const between = new Date('2026-06-01T02:00:00.001Z');
    clock.set('2026-06-01T02:00:00.002Z');

    const r = await clocked.applyChunk(batch, lines(penalty({ severity: 'serious' })));

    expect(r).toMatchObject({ versioned: 1, inserted: 0 });
    const [entity] = await t.db.query<{ id: number }>(`SELECT id FROM entity`);
    const thenFacts = (await factsAsOf(t.db, [entity!.id], between)).get(entity!.id)!;
    const nowFacts = (await factsAsOf(t.db, [entity!.id], clock.now())).get(entity!.id)!;
    expect(thenFacts.find((f) => f.kind === 'penalty')).toMatchObject({ version: 1, severity: 'general' });
    expect(nowFacts.find((f) => f.kind === 'penalty')).toMatchObject({ version: 2, severity: 'serious' });
    expect(await count(t, 'credit_record_version')).toBe(3);
  });

  it.each(['under_objection', 'repaired', 'revoked'])(
    'keeps the agency state %s when the source corrects the record',
    async (state) => {
      const batch = await sut.startBatch('b');
      await sut.applyChunk(batch, lines(registration(), penalty()));
      await t.db.query(`UPDATE credit_record_version SET status = $1::"RecordStatus" WHERE kind = 'penalty'`, [state]);

      await sut.applyChunk(batch, lines(penalty({ authority: '黑河市市场监督管理局（更正）' })));

      const [cur] = await t.db.query<{ status: string; version: number }>(
        `SELECT status::text, version FROM credit_record_version WHERE kind = 'penalty' AND superseded_at IS NULL`,
      );
      expect(cur).toEqual({ status: state, version: 2 });
    },
  );

  it('keeps only the last row of a key repeated in one chunk, as if the chunk carried only that one', async () => {
    const versions = () =>
      t.db.query(
        `SELECT r.source_id, v.kind::text, v.version, v.severity::text, v.content_hash, v.superseded_at IS NULL AS current
         FROM credit_record_version v JOIN credit_record r ON r.id = v.record_id ORDER BY r.source_id, v.version`,
      );
    const last = penalty({ severity: 'serious' });

    const r = await sut.applyChunk(
      await sut.startBatch('b'),
      lines(penalty({ severity: 'minor' }), registration(), penalty({ severity: 'general' }), last),
    );

    expect(r).toMatchObject({ inserted: 2, versioned: 0, rejected: 0, superseded: 2 });
    expect(r.supersededLines).toEqual([
      { line: 1, by: 4 },
      { line: 3, by: 4 },
    ]);
    const repeated = await versions();
    await t.reset();
    await sut.applyChunk(await sut.startBatch('b'), lines(registration(), last));
    expect(await versions()).toEqual(repeated);
  });

  it('lets a later bad row replace the earlier ones with its key, as a delivery of that row alone would', async () => {
    const r = await sut.applyChunk(
      await sut.startBatch('b'),
      lines(registration(), penalty(), penalty({ severity: 'grave' })),
    );

    expect(r).toMatchObject({ inserted: 1, rejected: 1, superseded: 1, supersededLines: [{ line: 2, by: 3 }] });
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([[3, 'severity']]);
    expect(await count(t, 'credit_record_version')).toBe(1);
  });

  it('changes nothing when a delivery with repeated keys arrives again', async () => {
    const rows = lines(registration(), penalty({ severity: 'minor' }), penalty({ severity: 'serious' }));
    await sut.applyChunk(await sut.startBatch('first'), rows);
    const before = await t.db.query(`SELECT id, version, recorded_at::text FROM credit_record_version ORDER BY id`);

    const again = await sut.applyChunk(await sut.startBatch('again'), rows);

    expect(again).toMatchObject({ inserted: 0, versioned: 0, unchanged: 2, superseded: 1, changedEntityIds: [] });
    expect(await t.db.query(`SELECT id, version, recorded_at::text FROM credit_record_version ORDER BY id`)).toEqual(
      before,
    );
  });

  it('imports the good rows and names every bad row by line and field', async () => {
    const r = await sut.applyChunk(
      await sut.startBatch('b'),
      lines(
        registration(),
        penalty({ occurredOn: '2026/06/01' }),
        penalty({ sourceId: 'PEN-2' }),
        penalty({ sourceId: 'PEN-3', uscc: 'NOT-A-CODE' }),
        penalty({ sourceId: 'PEN-4', uscc: OTHER }),
        registration({ uscc: OTHER, legalRepIdNumber: '110105194912310021' }),
      ),
    );

    expect(r.rejected).toBe(4);
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([
      [2, 'occurredOn'],
      [4, 'uscc'],
      [6, 'legalRepIdNumber'],
      [5, 'uscc'],
    ]);
    expect(r.errors.find((e) => e.line === 5)!.reason).toContain('未登记');
    expect(await count(t, 'credit_record_version')).toBe(2);
  });

  it('flags a well-formed USCC whose check character fails, instead of dropping it', async () => {
    const good = makeUscc('91231102MA0000009');
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');

    const r = await sut.applyChunk(await sut.startBatch('b'), lines(registration({ uscc: bad })));

    expect(r.rejected).toBe(0);
    const [e] = await t.db.query<{ ok: boolean }>(`SELECT uscc_checksum_ok AS ok FROM entity WHERE uscc = $1`, [bad]);
    expect(e!.ok).toBe(false);
  });

  it('applies a chunk all or nothing', async () => {
    const batch = await sut.startBatch('b');
    await sut.applyChunk(batch, lines(registration()));
    const undo = await refuseInserts(t.db, 'credit_record_version', `NEW.payload->>'summary' = 'refuse'`);
    try {
      await expect(
        sut.applyChunk(batch, lines(penalty(), penalty({ sourceId: 'PEN-9', summary: 'refuse' }))),
      ).rejects.toThrow();
    } finally {
      await undo();
    }

    expect(await count(t, 'credit_record_version')).toBe(1);
    const [b] = await t.db.query<{ total: number }>(`SELECT total FROM ingest_batch WHERE id = $1`, [batch]);
    expect(b!.total).toBe(1);
  });
});
