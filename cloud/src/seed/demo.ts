import type { Database } from '../db/database';
import type { PiiVault } from '../pii/pii';
import { seedDemo } from './seed';

export const DEMO_ENTITIES = 300;
export const DEMO_SEED = 20230530;

/** First run in demo mode: a believable Heihe population, scored, so the app has something to show. */
export async function ensureDemoData(
  db: Database,
  vault: PiiVault,
  today: string,
  log: (s: string) => void,
): Promise<void> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM entity`);
  if (row!.n > 0) return;
  log(`首次运行：生成 ${DEMO_ENTITIES} 户演示主体并评分……`);
  const r = await seedDemo(db, vault, { entities: DEMO_ENTITIES, seed: DEMO_SEED, asOf: today });
  log(`演示数据就绪：${r.rows} 行，${r.scored} 次评分`);
}
