import { SystemClock } from '../common/clock';
import type { Database } from '../db/database';
import type { ChunkEntities, ChunkFollower } from '../scoring';
import { InvestRepository } from './invest.repository';
import { OwnershipStore } from './ownership.store';

/** Targets stored per transaction: the lock held for one batch is what a writer may wait. */
const BATCH = 25;

/**
 * Stores, after each cycle chunk, the ownership penetration of the chunk's entities that have a
 * registered company among their holders and no stored result a read could serve (never stored,
 * or hidden by a change since): so an officer's first read of such a target is a stored read
 * (ADR 0026). Targets held by persons only are left to their first read, which is one level.
 */
export class OwnershipWarmer implements ChunkFollower {
  readonly name = 'ownership warming';

  constructor(
    private readonly repo: InvestRepository,
    private readonly store: OwnershipStore,
    /** The depth stored: the console's and the API's default (10). */
    private readonly depth: number,
  ) {}

  async afterChunk(chunk: ChunkEntities): Promise<void> {
    await this.warm(chunk);
  }

  /** Warms the entities of `chunk`; returns how many were stored. */
  async warm(chunk: ChunkEntities): Promise<number> {
    const ids = await this.repo.unwarmedOwnership(chunk, this.depth);
    let stored = 0;
    for (let i = 0; i < ids.length; i += BATCH)
      stored += await this.store.storeAll(ids.slice(i, i + BATCH), this.depth);
    return stored;
  }
}

/** The warmer of a process outside Nest (`npm run worker`, `npm run cycle`); none when `depth` is 0. */
export function ownershipWarmerOver(db: Database, depth: number): OwnershipWarmer | null {
  if (depth <= 0) return null;
  const repo = new InvestRepository(db);
  return new OwnershipWarmer(repo, new OwnershipStore(repo, db, new SystemClock()), depth);
}
