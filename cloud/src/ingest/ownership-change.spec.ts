import { makeIdNumber, makeUscc } from '@heihe/shared';
import { SystemClock } from '../common/clock';
import { InvestRepository, OwnershipStore } from '../invest';
import { PiiVault } from '../pii';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/test-db';
import { Ingestor, type RawLine } from './ingestor';

const vault = new PiiVault('11'.repeat(32), '22'.repeat(32));
const TARGET = makeUscc('91231102MA0000101');
const HOLDER = makeUscc('91231181MA0000102');
const LATE = makeUscc('91231182MA0000103');

const registration = (uscc: string, name: string) => ({
  type: 'registration',
  sourceSystem: 'scjg',
  sourceId: `REG-${uscc}`,
  uscc,
  name,
  entityType: '有限责任公司',
  establishedOn: '2015-03-02',
  registeredCapital: 5_000_000,
  paidInCapital: 5_000_000,
  industryCode: 'C1310',
  regionCode: '231102',
  legalRepName: '王建国',
  legalRepIdNumber: makeIdNumber('23110219800101001'),
});

const holding = (sourceId: string, uscc: string, holderName: string, holderUscc: string, ratio: number) => ({
  type: 'shareholder',
  sourceSystem: 'scjg',
  sourceId,
  uscc,
  holderName,
  holderUscc,
  ratio,
  amount: ratio * 5_000_000,
});

const lines = (...raws: unknown[]): RawLine[] => raws.map((raw, i) => ({ line: i + 1, raw }));

describe.each(testBackends())('ingestion queues the ownership changes it writes, on %s (ADR 0022, 0027)', (backend) => {
  let t: TestDatabase;
  let ingestor: Ingestor;
  let repo: InvestRepository;
  let store: OwnershipStore;
  let target: number;

  const deliver = async (...raws: unknown[]) => {
    const res = await ingestor.applyChunk(await ingestor.startBatch('ownership'), lines(...raws));
    expect(res.errors).toEqual([]);
  };
  /** Stores the target's penetration and checks it is served. */
  const stored = async () => {
    await store.compute(target, 10);
    expect(await repo.storedOwnershipWithCards(target, 10)).not.toBeNull();
  };

  beforeAll(async () => {
    t = await createTestDatabase(backend);
    ingestor = new Ingestor(t.db, vault);
    repo = new InvestRepository(t.db);
    store = new OwnershipStore(repo, t.db, new SystemClock());
    // The target held 60% by a registered company, which is held by one known only by its USCC.
    await deliver(
      registration(TARGET, '黑河目标有限公司'),
      registration(HOLDER, '黑河控股有限公司'),
      holding('SH-T-H', TARGET, '黑河控股有限公司', HOLDER, 0.6),
      holding('SH-H-L', HOLDER, '黑河远东投资有限公司', LATE, 0.5),
    );
    target = (await t.db.prisma.entity.findFirstOrThrow({ where: { uscc: TARGET } })).id;
  }, 60_000);

  afterAll(async () => {
    await t?.drop();
  });

  it('no trigger on a table writes the ownership queue or the stored results', async () => {
    const triggers = await t.db.query<{ tgname: string }>(
      `SELECT t.tgname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
       WHERE NOT t.tgisinternal AND (t.tgname LIKE '%ownership%' OR p.prosrc LIKE '%ownership\\_%')`,
    );
    expect(triggers).toEqual([]);
  });

  it('a holding change above the target hides its stored penetration after the delivery', async () => {
    await stored();
    await deliver(holding('SH-H-L', HOLDER, '黑河远东投资有限公司', LATE, 0.7));

    expect(await repo.storedOwnershipWithCards(target, 10)).toBeNull();
    expect((await store.compute(target, 10)).view.holders.map((h) => [h.key, h.share])).toEqual([
      [`x${LATE}`, expect.closeTo(0.42, 6)],
    ]);
  });

  it('the registration of a holder known only by its USCC hides it', async () => {
    await stored();
    await deliver(registration(LATE, '黑河远东投资有限公司'));

    expect(await repo.storedOwnershipWithCards(target, 10)).toBeNull();
  });

  it('a delivery under no stored result queues nothing', async () => {
    await stored();
    await deliver(registration(makeUscc('91231183MA0000104'), '黑河无关有限公司'));

    expect(await t.db.prisma.ownershipChange.count()).toBe(0);
    expect(await repo.storedOwnershipWithCards(target, 10)).not.toBeNull();
  });
});
