import { ProgressBar } from '../common/progress';
import { loadConfig } from '../config/config';
import { openDatabase } from '../db/open';
import { ModelRepository } from '../scoring';
import { PiiVault } from '../pii';
import { seedDemo } from '../seed/seed';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** npm run seed -- --entities N [--seed S] [--as-of YYYY-MM-DD]: deterministic for a given seed and date. */
async function main() {
  const entities = Number(arg('entities', '200'));
  const seed = Number(arg('seed', '1'));
  const asOf = arg('as-of', new Date().toISOString().slice(0, 10));
  if (!Number.isInteger(entities) || entities < 1 || !Number.isInteger(seed)) {
    process.stderr.write('用法：npm run seed -- --entities N [--seed S] [--as-of YYYY-MM-DD]\n');
    process.exit(2);
  }
  const config = loadConfig();
  const db = await openDatabase(config);
  await new ModelRepository(db).ensureDefaultModel();
  const bar = new ProgressBar('生成演示数据', entities);
  const r = await seedDemo(db, PiiVault.fromConfig(config), {
    entities,
    seed,
    asOf,
    onProgress: (n) => bar.update(n, `${n} 户`),
  });
  bar.done(`${entities} 户`);
  process.stdout.write(`${JSON.stringify({ entities, seed, asOf, ...r })}\n`);
  await db.close();
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
