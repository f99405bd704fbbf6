import { Injectable } from '@nestjs/common';
import { ownershipView, penetrate, type Holding, type OwnershipView, type OwnershipViewNode } from '@heihe/shared';
import { Clock } from '../common/clock';
import { Database } from '../db/database';
import { InvestRepository } from './invest.repository';

/**
 * Penetrations computed and stored (ADR 0022): what a first read does, and what the cycle's warming
 * does ahead of reads (ADR 0026).
 */
@Injectable()
export class OwnershipStore {
  constructor(
    private readonly repo: InvestRepository,
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /**
   * Penetrates the holdings above the target, loaded to `depth` levels with their holders in one
   * read (ADR 0014), and stores the view of it (ADR 0022) in the same transaction, under the lock
   * writers of holdings share (`queueOwnershipChange`): a write that commits after this read queues a change that
   * hides what is stored. A read does not wait for writes in flight: it computes and returns the
   * view without storing it.
   */
  async compute(entityId: number, depth: number): Promise<{ view: OwnershipView; computedAt: Date }> {
    // A walk that climbs no company (one level, or no registered company among the holders) reads
    // one company's holders: computed each time, never stored, so it costs no lock, queue or write.
    if (depth === 1 || !(await this.repo.heldByACompany(entityId)))
      return this.penetrateAndStore(entityId, depth, false);
    return this.db.tx(async () => {
      const stored = await this.repo.lockOwnershipStore();
      return this.penetrateAndStore(entityId, depth, stored);
    });
  }

  /**
   * Stores the penetrations of `entityIds` in one transaction, for background warming (ADR 0026).
   * It never waits on the lock as a queued waiter (a queued exclusive request would hold up every
   * later writer too): it tries, and while writes are in flight tries again after a growing pause,
   * until `patienceMs` has passed. Returns how many were stored, or null when the lock was not
   * had in time (the targets are left to their first reads, or the next cycle).
   */
  async storeAll(entityIds: readonly number[], depth: number, patienceMs = 30_000): Promise<number | null> {
    if (!entityIds.length) return 0;
    const giveUpAt = Date.now() + patienceMs;
    for (let pause = 20; ; pause = Math.min(pause * 2, 1000)) {
      const stored = await this.db.tx(async () => {
        if (!(await this.repo.lockOwnershipStore())) return null;
        for (const id of entityIds) await this.penetrateAndStore(id, depth, true);
        return entityIds.length;
      });
      if (stored !== null) return stored;
      if (Date.now() + pause > giveUpAt) return null;
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  private async penetrateAndStore(entityId: number, depth: number, store: boolean) {
    const target = `e${entityId}`;
    const nodes = new Map<string, OwnershipViewNode>([[target, { key: target, kind: 'entity', level: 0 }]]);
    const members = new Set<number>([entityId]);
    const holdings: Holding[] = [];
    for (const r of await this.repo.holdingsUpward(entityId, depth)) {
      let key: string;
      let kind: Holding['holderKind'] = 'entity';
      if (r.holderPersonId !== null) {
        key = `p${r.holderPersonId}`;
        kind = 'person';
        if (!nodes.has(key)) nodes.set(key, { key, kind: 'person', level: r.level });
      } else if (r.holder) {
        key = `e${r.holder.id}`;
        if (!nodes.has(key)) nodes.set(key, { key, kind: 'entity', level: r.level });
        // Its own holders were read: a change to them changes this result.
        if (r.level < depth) members.add(r.holder.id);
      } else {
        key = r.holderUscc ? `x${r.holderUscc}` : `x${r.id}`;
        if (!nodes.has(key))
          nodes.set(key, { key, kind: 'external', level: r.level, name: r.holderName, uscc: r.holderUscc });
      }
      holdings.push({ holder: key, holderKind: kind, company: `e${r.entityId}`, share: r.ratio });
    }
    const view = ownershipView(penetrate(target, holdings), holdings, nodes);
    const computedAt = this.clock.now();
    if (store)
      await this.repo.saveOwnership(
        entityId,
        depth,
        [...members].sort((a, b) => a - b),
        view,
        computedAt,
      );
    return { view, computedAt };
  }
}
