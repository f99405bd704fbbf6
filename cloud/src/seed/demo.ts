import { FixedClock } from '../common/clock';
import type { Database } from '../db/database';
import { dateOfDay } from '../db/values';
import { DEMO_ENTERPRISES } from './demo-identities';
import { IngestRun } from '../ingest';
import type { PiiVault } from '../pii';
import { DEMO_HISTORY_DAYS } from './demo-history';
import { seedDemo } from './seed';

export const DEMO_ENTITIES = 300;
export const DEMO_SEED = 20230530;

/**
 * First run in demo mode: a believable Heihe population, scored, so the app has something to show.
 * Delivered DEMO_HISTORY_DAYS before `now`, so ensureDemoHistory can give it a past (cycles,
 * decided applications) that came after its records. Returns whether it seeded.
 */
export async function ensureDemoData(
  db: Database,
  vault: PiiVault,
  today: string,
  log: (s: string) => void,
  now: Date = new Date(),
): Promise<boolean> {
  if (await db.prisma.entity.findFirst({ select: { id: true } })) return false;
  log(`首次运行：生成 ${DEMO_ENTITIES} 户演示主体并评分……`);
  const r = await seedDemo(db, vault, {
    entities: DEMO_ENTITIES,
    seed: DEMO_SEED,
    asOf: today,
    investDemo: true,
    clock: new FixedClock(new Date(now.getTime() - DEMO_HISTORY_DAYS * 86_400_000)),
  });
  log(`演示数据就绪：${r.rows} 行，${r.scored} 次评分`);
  return true;
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

/**
 * A 信易+ catalogue for the demo (the agency publishes the real one with updateXinyiPlusMeasures):
 * what the legal representative of an A-grade demo enterprise sees in the mini program. Published
 * once, on the first start, in force from that day.
 */
export async function ensureDemoXinyiPlus(db: Database, today: string): Promise<void> {
  if (await db.prisma.xinyiPlusCatalogue.findFirst({ select: { version: true } })) return;
  const measures = [
    {
      code: 'xinyi_yue',
      name: '信易阅',
      description: '凭电子身份凭证免押金办理借阅证，借阅册数上限提高一倍。',
      provider: '黑河市图书馆（演示）',
    },
    {
      code: 'xinyi_yi',
      name: '信易医',
      description: '在合作医院门诊就医可先诊疗后付费，检查结果线上推送。',
      provider: '黑河市卫生健康委员会（演示）',
    },
    {
      code: 'xinyi_you',
      name: '信易游',
      description: '市内合作旅游景区门票优惠，以景区当期公告为准。',
      provider: '黑河市文化广电和旅游局（演示）',
    },
    {
      code: 'xinyi_zhu',
      name: '信易住',
      description: '申请人才公寓时同等条件下优先配租。',
      provider: '黑河市住房和城乡建设局（演示）',
    },
  ];
  await db.prisma.xinyiPlusCatalogue.create({
    data: {
      version: 1,
      effectiveFrom: dateOfDay(today),
      basis: '黑市开招办发〔2023〕2号：A 级信用主体的法定代表人纳入信易+守信激励（演示清单）',
      publishedBy: 'demo',
      measures: { create: measures.map((m, position) => ({ ...m, itemCodes: ['*'], position })) },
    },
  });
}
