import { SystemClock } from '../common/clock';
import type { Database } from '../db/database';
import type { ChunkEntities, ChunkFollower } from '../scoring';
import { InvestRepository } from './invest.repository';
import { OwnershipStore } from './ownership.store';

/** Targets stored per transaction: what the store's lock is held for at a time. */
const BATCH = 25;

/** What one warming did. */
export interface Warmed {
  stored: number;
  /** Targets whose penetration failed (each logged); the rest of the chunk went on. */
  failed: number;
  /** Targets not stored because writes held the lock past the store's patience, or the warming was stopped. */
  skipped: number;
}

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
    private readonly log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {}

  async afterChunk(chunk: ChunkEntities, signal?: AbortSignal): Promise<string> {
    const w = await this.warm(chunk, signal);
    return `stored ${w.stored}, failed ${w.failed}, skipped ${w.skipped}`;
  }

  /**
   * Warms the entities of `chunk`, a batch at a time; stops between batches when `signal` aborts.
   * A batch that fails is stored again one target at a time, so one bad target costs only itself.
   */
  async warm(chunk: ChunkEntities, signal?: AbortSignal): Promise<Warmed> {
    const ids = await this.repo.unwarmedOwnership(chunk, this.depth);
    const w: Warmed = { stored: 0, failed: 0, skipped: 0 };
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      if (signal?.aborted) {
        w.skipped += ids.length - i;
        break;
      }
      try {
        const n = await this.store.storeAll(batch, this.depth);
        if (n === null) w.skipped += batch.length;
        else w.stored += n;
      } catch {
        for (const id of batch)
          try {
            const n = await this.store.storeAll([id], this.depth);
            if (n === null) w.skipped += 1;
            else w.stored += n;
          } catch (e) {
            w.failed += 1;
            this.log(`ownership warming: entity ${id} failed: ${e instanceof Error ? e.message : String(e)}`);
          }
      }
    }
    return w;
  }
}

/**
 * The warmer of a process outside Nest (`npm run worker`, `npm run cycle`); none when `depth` is 0,
 * or when the cycle runs over several database nodes (ADR 0026: the stored results and their lock
 * live on one database).
 */
export function ownershipWarmerOver(db: Database, depth: number, nodes: number): OwnershipWarmer | null {
  if (depth <= 0 || nodes > 1) return null;
  const repo = new InvestRepository(db);
  return new OwnershipWarmer(repo, new OwnershipStore(repo, db, new SystemClock()), depth);
}
