import type { Database } from '../db/database';
import { DEMO_ENTERPRISES } from './demo-identities';
import { IngestRun } from '../ingest';
import type { PiiVault } from '../pii';
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
  if (await db.prisma.entity.findFirst({ select: { id: true } })) return;
  log(`首次运行：生成 ${DEMO_ENTITIES} 户演示主体并评分……`);
  const r = await seedDemo(db, vault, { entities: DEMO_ENTITIES, seed: DEMO_SEED, asOf: today, investDemo: true });
  log(`演示数据就绪：${r.rows} 行，${r.scored} 次评分`);
}

function daysBefore(today: string, days: number): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/**
 * Something for a newcomer to act on: the first demo enterprise gets a recent general penalty (to
 * object to) and an older one past its minimum publicity period (to apply for repair). Delivered
 * once, on the first start; the dates are relative to that day.
 */
export async function ensureDemoCase(db: Database, vault: PiiVault, today: string): Promise<void> {
  const done = await db.prisma.creditRecord.findFirst({ where: { sourceSystem: 'demo-case' }, select: { id: true } });
  if (done) return;
  const e = DEMO_ENTERPRISES[0];
  const run = await IngestRun.start(db, vault, 'demo-case', { chunkSize: 10 });
  const penalty = (
    id: string,
    occurredOn: string,
    documentNo: string,
    summary: string,
    content: string,
    legalBasis: string,
  ) => ({
    type: 'record',
    kind: 'penalty',
    sourceSystem: 'demo-case',
    sourceId: `${e.uscc}-${id}`,
    uscc: e.uscc,
    severity: 'general',
    occurredOn,
    documentNo,
    authority: '黑河市市场监督管理局',
    summary,
    content,
    legalBasis,
  });
  const year = today.slice(0, 4);
  await run.push({
    line: 1,
    raw: penalty(
      'PEN-RECENT',
      daysBefore(today, 20),
      `黑市监罚〔${year}〕88号`,
      '未按规定标明商品价格',
      '警告，并处罚款人民币 2000 元',
      '《明码标价和禁止价格欺诈规定》第二十一条',
    ),
  });
  await run.push({
    line: 2,
    raw: penalty(
      'PEN-OLDER',
      daysBefore(today, 150),
      `黑市监罚〔${year}〕31号`,
      '未按规定公示年度报告',
      '罚款人民币 1 万元',
      '《企业信息公示暂行条例》第十八条',
    ),
  });
  await run.finish();
}
