import { Client } from 'pg';
import { createTestDatabase, testBackends, type TestDatabase } from '../../cloud/src/testing/test-db';
import { InvestRepository } from '../../cloud/src/invest/invest.repository';
import { InvestService } from '../../cloud/src/invest/invest.service';
import { OwnershipStore } from '../../cloud/src/invest/ownership.store';
import { OwnershipWarmer, type Warmed } from '../../cloud/src/invest/ownership.warmer';
import { SystemClock } from '../../cloud/src/common/clock';
import { queueOwnershipChange } from '../../cloud/src/db/ownership-change';
import { seedEntity } from '../rights/support/fixtures';

// Two writers at once need two server sessions: PostgreSQL only (PGlite has one connection).
const backends = testBackends().filter((b) => b === 'postgres');

(backends.length ? describe.each(backends) : describe.skip.each(['postgres']))(
  'stored penetrations under parallel writers, on %s (ADR 0022)',
  () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase('postgres');
    }, 60_000);
    afterAll(async () => {
      await t?.drop();
    });

    /** A second server session as a writer: queues its changes as every writer does (ADR 0022). */
    const asWriter = (c: Client) => ({
      query: async <T>(text: string, params?: unknown[]) => (await c.query(text, params)).rows as T[],
    });

    /** Three new entities, the first held 60% by the second (source id `sourceId`). */
    const heldByACompany = async (sourceId: string) => {
      const [target, holder, other] = [await seedEntity(t.db), await seedEntity(t.db), await seedEntity(t.db)];
      const holderRow = await t.db.prisma.entity.findFirstOrThrow({ where: { id: holder!.entityId } });
      await t.db.query(
        `INSERT INTO shareholder (entity_id, bucket, source_system, source_id, holder_name, holder_uscc, ratio, amount)
         VALUES ($1, (SELECT bucket FROM entity WHERE id = $1), 'test', $4, $2, $3, 0.6, 600000)`,
        [target!.entityId, holderRow.name, holderRow.uscc, sourceId],
      );
      return { target: target!, holder: holder!, holderRow, other: other! };
    };

    /**
     * Runs `fn` while a second server session holds a holding write in flight (a shareholder row of
     * `entityId`, not committed, its change queued: that takes the store's lock shared, as an
     * ingestion chunk does); `fn` may commit it, and what is left is rolled back.
     */
    const withHoldingWriteInFlight = async <T>(
      row: { entityId: number; sourceId: string; ratio: number },
      fn: (writer: Client) => Promise<T>,
    ): Promise<T> => {
      const writer = new Client({ connectionString: t.url });
      await writer.connect();
      try {
        await writer.query('BEGIN');
        await writer.query(
          `INSERT INTO shareholder (entity_id, bucket, source_system, source_id, holder_name, ratio, amount)
           VALUES ($1, (SELECT bucket FROM entity WHERE id = $1), 'test', $2, '某投资人', $3, $4)`,
          [row.entityId, row.sourceId, row.ratio, row.ratio * 1_000_000],
        );
        await queueOwnershipChange(asWriter(writer), { companies: [row.entityId] });
        return await fn(writer);
      } finally {
        await writer.query('ROLLBACK').catch(() => undefined);
        await writer.end();
      }
    };

    it('two writers changing holdings under two stored results in opposite orders both commit, and neither result is served', async () => {
      const [t1, t2, c1, c2] = [
        await seedEntity(t.db),
        await seedEntity(t.db),
        await seedEntity(t.db),
        await seedEntity(t.db),
      ];
      // R1 was built from C1's holders, R2 from C2's.
      for (const [target, company] of [
        [t1!, c1!],
        [t2!, c2!],
      ] as const)
        await t.db.prisma.ownershipResult.create({
          data: {
            entityId: target.entityId,
            depth: 10,
            members: [target.entityId, company.entityId],
            result: { nodes: [] },
            computedAt: new Date(),
          },
        });
      const holding = (company: number, sourceId: string) =>
        `INSERT INTO shareholder (entity_id, bucket, source_system, source_id, holder_name, ratio, amount)
         VALUES (${company}, (SELECT bucket FROM entity WHERE id = ${company}), 'test', '${sourceId}', '某投资人', 0.1, 100000)`;

      const a = new Client({ connectionString: t.url });
      const b = new Client({ connectionString: t.url });
      await Promise.all([a.connect(), b.connect()]);
      try {
        await a.query('BEGIN');
        await b.query('BEGIN');
        // Like two ingestion chunks of different bucket groups (ADR 0024): each writes one
        // company's holdings, then the other's.
        const write = async (w: Client, company: number, sourceId: string) => {
          await w.query(holding(company, sourceId));
          await queueOwnershipChange(asWriter(w), { companies: [company] });
        };
        await write(a, c1!.entityId, 'a-1');
        await write(b, c2!.entityId, 'b-1');
        const second = await Promise.allSettled([write(a, c2!.entityId, 'a-2'), write(b, c1!.entityId, 'b-2')]);
        expect(second.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok'))).toEqual(['ok', 'ok']);
        await a.query('COMMIT');
        await b.query('COMMIT');
      } finally {
        await Promise.all([a.end(), b.end()]);
      }

      const repo = new InvestRepository(t.db);
      expect(await repo.storedOwnershipWithCards(t1!.entityId, 10)).toBeNull();
      expect(await repo.storedOwnershipWithCards(t2!.entityId, 10)).toBeNull();
      // The next store applies the queue: both results gone, nothing left queued.
      expect(await t.db.tx(() => repo.lockOwnershipStore())).toBe(true);
      expect(await t.db.prisma.ownershipResult.count()).toBe(0);
      expect(await t.db.prisma.ownershipChange.count()).toBe(0);
    });

    it('a write under no stored result queues nothing', async () => {
      const [t1, c1, c2] = [await seedEntity(t.db), await seedEntity(t.db), await seedEntity(t.db)];
      await t.db.prisma.ownershipResult.create({
        data: {
          entityId: t1!.entityId,
          depth: 10,
          members: [t1!.entityId, c1!.entityId],
          result: {},
          computedAt: new Date(),
        },
      });
      await t.db.tx(async (sql) => {
        await sql.query(
          `INSERT INTO shareholder (entity_id, bucket, source_system, source_id, holder_name, ratio, amount)
           VALUES ($1, (SELECT bucket FROM entity WHERE id = $1), 'test', 'c-1', '某投资人', 0.1, 100000)`,
          [c2!.entityId],
        );
        await queueOwnershipChange(sql, { companies: [c2!.entityId] });
      });

      expect(await t.db.prisma.ownershipChange.count()).toBe(0);
      expect(await t.db.prisma.ownershipResult.count()).toBe(1);
    });

    it('a first read while a holding write is in flight is answered at once, computed and not stored', async () => {
      const { target, holderRow, other } = await heldByACompany('d-1');
      const repo = new InvestRepository(t.db);
      const service = new InvestService(
        repo,
        t.db,
        new SystemClock(),
        new OwnershipStore(repo, t.db, new SystemClock()),
      );
      // Any holding write takes the store's lock shared (queueing its change), as an ingestion chunk does.
      await withHoldingWriteInFlight({ entityId: other.entityId, sourceId: 'd-2', ratio: 0.1 }, async () => {
        const g = await Promise.race([
          service.ownershipGraph(target!.entityId, 10),
          new Promise<'waited'>((r) => setTimeout(() => r('waited'), 10_000)),
        ]);

        expect(g === 'waited' ? g : g.holders.map((h) => [h.name, h.share])).toEqual([[holderRow.name, 0.6]]);
        expect(await t.db.prisma.ownershipResult.count({ where: { entityId: target!.entityId } })).toBe(0);
      });
      // With no write in flight the next read stores it.
      await service.ownershipGraph(target!.entityId, 10);
      expect(await t.db.prisma.ownershipResult.count({ where: { entityId: target!.entityId } })).toBe(1);
    }, 30_000);

    it("the cycle's warming waits for a holding write in flight and stores what it committed (ADR 0026)", async () => {
      const { target, holder, other: unheld } = await heldByACompany('w-1');
      const repo = new InvestRepository(t.db);
      const warmer = new OwnershipWarmer(repo, new OwnershipStore(repo, t.db, new SystemClock()), 10);
      const range = { fromBucket: 0, toBucket: 4095, from: target!.entityId, to: unheld.entityId };
      let warming: Promise<Warmed> | undefined;
      // The holder gets a holder of its own, in flight while the warming starts.
      await withHoldingWriteInFlight({ entityId: holder.entityId, sourceId: 'w-2', ratio: 0.5 }, async (writer) => {
        warming = warmer.warm(range);
        const early = await Promise.race([
          warming,
          new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), 1500)),
        ]);
        expect(early).toBe('waiting');
        await writer.query('COMMIT');
      });
      // Only the target is held by a company; the holder and the entity with no holders are left to their reads.
      expect(await warming).toEqual({ stored: 1, failed: 0, skipped: 0 });
      const stored = await repo.storedOwnershipWithCards(target!.entityId, 10);
      expect(stored?.view.holders.map((h) => [h.key[0], h.share])).toEqual([['x', 0.3]]);
      // Warmed once, a second warming stores nothing.
      expect(await warmer.warm(range)).toEqual({ stored: 0, failed: 0, skipped: 0 });
    }, 30_000);
  },
);
