import type { Principal } from '../auth';
import { CalendarService } from '../calendar';
import { FixedClock } from '../common/clock';
import type { AppConfig } from '../config/config';
import type { Database } from '../db/database';
import { idOf } from '../db/values';
import { GoodInfoService } from '../good-info';
import { ObjectionsService } from '../objections';
import { RepairService } from '../repair';
import { CycleService, InProcessDispatcher } from '../scoring';
import { DEMO_ENTERPRISES } from './demo-identities';

const DAY = 86_400_000;

/** How far back the demo population's deliveries are dated, so the history below happens after them. */
export const DEMO_HISTORY_DAYS = 100;

type HistoryConfig = Pick<AppConfig, 'EVIDENCE_MAX_FILES' | 'WECHAT_TEMPLATE_DECISION' | 'WECHAT_TEMPLATE_GRADE'>;

export interface DemoHistoryResult {
  cycles: number;
  applications: number;
}

/**
 * A past for the 跟踪评估 dashboard and a queue for the reviewer, on the first start: a finished
 * scoring cycle 30 days ago and one now, and applications filed by (and decided for) generated
 * demo enterprises over the last three months — objections upheld, rejected, returned and still
 * open, good-information reports confirmed and rejected, a repair application waiting — each
 * through its workflow service on a clock set to the day it happened, so timelines, audit,
 * messages and re-scores are the ones a real case leaves. The two printed demo enterprises are left
 * alone: a newcomer's own walk-through starts clean. Runs once (skipped when a cycle or an
 * application exists); needs the population delivered DEMO_HISTORY_DAYS ago (ensureDemoData) and the
 * demo staff (seedDemoIdentities).
 */
export async function ensureDemoHistory(db: Database, config: HistoryConfig, now: Date): Promise<DemoHistoryResult> {
  const none = { cycles: 0, applications: 0 };
  if (await db.prisma.scoringCycle.findFirst({ select: { id: true } })) return none;
  if (await db.prisma.objection.findFirst({ select: { id: true } })) return none;
  if (await db.prisma.goodInfoReport.findFirst({ select: { id: true } })) return none;
  const reviewerRow = await db.prisma.staffAccount.findUnique({
    where: { username: 'demo-reviewer' },
    select: { id: true, username: true },
  });
  if (!reviewerRow) throw new Error('ensureDemoHistory: seed the demo staff first (seedDemoIdentities)');
  const reviewer: Principal = {
    kind: 'staff',
    staffId: reviewerRow.id,
    sessionId: 'demo-seed',
    role: 'reviewer',
    username: reviewerRow.username,
  };

  const clock = new FixedClock(now);
  const calendar = new CalendarService(db, config, clock);
  const objections = new ObjectionsService(db, config, calendar, clock);
  const goodInfo = new GoodInfoService(db, config, calendar, clock);
  const repair = new RepairService(db, config, calendar, clock);
  const cycles = new CycleService(db);
  const ago = (days: number, hour = 10) => {
    // `hour` o'clock China time, `days` before now; never later than now.
    const d = new Date(now.getTime() - days * DAY);
    d.setUTCHours(hour - 8, 0, 0, 0);
    return d.getTime() > now.getTime() ? new Date(now) : d;
  };

  // Generated enterprises with an active penalty, legal representative known, not the printed ones.
  const printed = DEMO_ENTERPRISES.map((e) => e.uscc);
  const penalties = await db.prisma.creditRecordVersion.findMany({
    where: {
      kind: 'penalty',
      status: 'active',
      supersededAt: null,
      recordedAt: { lte: ago(DEMO_HISTORY_DAYS - 1) },
    },
    orderBy: [{ entityId: 'asc' }, { recordId: 'asc' }],
    select: { entityId: true, recordId: true, occurredOn: true, severity: true },
  });
  const owners = await db.prisma.entity.findMany({
    where: { id: { in: [...new Set(penalties.map((p) => p.entityId))] }, legalRepId: { not: null } },
    select: { id: true, uscc: true, legalRepId: true },
  });
  const owner = new Map(owners.filter((o) => !printed.includes(o.uscc)).map((o) => [o.id, o]));
  const byEntity = new Map<number, typeof penalties>();
  for (const p of penalties) {
    if (!owner.has(p.entityId)) continue;
    byEntity.set(p.entityId, [...(byEntity.get(p.entityId) ?? []), p]);
  }
  const pool = [...byEntity.entries()];

  // Each enterprise's legal representative signed in to the mini program and verified (the binding
  // identity verification leaves), once for all the cases below.
  const users = new Map<number, Principal>();
  const userOf = async (entityId: number): Promise<Principal> => {
    const known = users.get(entityId);
    if (known) return known;
    const at = ago(DEMO_HISTORY_DAYS - 2);
    const u = await db.prisma.appUser.create({
      data: {
        openid: `demo-history-${entityId}`,
        privacyConsentVersion: 'demo',
        privacyConsentedAt: at,
        createdAt: at,
        lastLoginAt: at,
      },
      select: { id: true },
    });
    await db.prisma.enterpriseBinding.create({
      data: {
        userId: u.id,
        entityId,
        personId: owner.get(entityId)!.legalRepId!,
        method: 'three_elements_face',
        boundAt: at,
      },
    });
    const p: Principal = { kind: 'user', userId: u.id, sessionId: 'demo-seed', entityIds: [entityId] };
    users.set(entityId, p);
    return p;
  };

  let next = 0;
  const penalty = () => {
    const [entityId, records] = pool[next++ % pool.length]!;
    return { entityId, recordId: idOf(records[0]!.recordId) };
  };

  type Step = { at: Date; run: () => Promise<void> };
  const steps: Step[] = [];
  const ids = new Map<string, number>();
  const step = (days: number, hour: number, run: () => Promise<void>) => steps.push({ at: ago(days, hour), run });

  /** An objection to a penalty: filed, then each staff action on its day. */
  const objection = (
    key: string,
    filedDaysAgo: number,
    ground: 'wrong' | 'missing' | 'duplicate',
    statement: string,
    actions: Array<[number, Parameters<ObjectionsService['decide']>[2] | 'resubmit']>,
  ) => {
    const target = penalty();
    step(filedDaysAgo, 9, async () => {
      const who = await userOf(target.entityId);
      const v = await objections.create(who, { ...target, ground, statement, evidenceIds: [] });
      ids.set(key, v.id);
    });
    for (const [days, a] of actions)
      step(days, 15, async () => {
        if (a === 'resubmit')
          await objections.resubmit(await userOf(target.entityId), ids.get(key)!, {
            note: '已补充缴款凭证和情况说明',
            evidenceIds: [],
          });
        else await objections.decide(reviewer, ids.get(key)!, a);
      });
  };
  const accept = { action: 'accept' as const, note: '材料齐全，予以受理' };

  // Decided, over the last three months.
  objection('o1', 86, 'wrong', '处罚决定书已被复议机关撤销，平台仍在公示，请予核实更正。', [
    [85, accept],
    [
      80,
      {
        action: 'uphold',
        reason: '经与决定机关核实，该处罚已被撤销，予以撤销公示。',
        correction: { action: 'revoke' },
      },
    ],
  ]);
  objection('o2', 72, 'wrong', '我公司认为处罚事实认定有误，当时已按要求整改完毕。', [
    [71, accept],
    [65, { action: 'reject', reason: '经核实，处罚决定合法有效，整改完成不影响处罚信息公示。' }],
  ]);
  objection('o3', 58, 'duplicate', '同一违法行为被重复归集为两条处罚记录，请删除重复的一条。', [
    [57, { action: 'return', reason: '请补充两份处罚决定书的文号或扫描件，以便比对。' }],
    [54, 'resubmit'],
    [53, accept],
    [
      48,
      {
        action: 'uphold',
        reason: '经比对，两条记录为同一决定书重复归集，撤销其中一条。',
        correction: { action: 'revoke' },
      },
    ],
  ]);
  objection('o4', 44, 'wrong', '处罚金额登记有误，决定书载明罚款金额低于平台显示。', [
    [43, accept],
    // Decided after its 7-working-day limit: 办理时效 shows one late case.
    [31, { action: 'reject', reason: '经与决定机关核对，平台登记金额与决定书一致。' }],
  ]);
  objection('o5', 20, 'wrong', '该处罚已在行政诉讼中被法院判决撤销，请予更正。', [
    [19, accept],
    [
      14,
      { action: 'uphold', reason: '经核实法院判决书，处罚已撤销，予以撤销公示。', correction: { action: 'revoke' } },
    ],
  ]);
  objection('o6', 12, 'missing', '处罚记录未反映我公司已缴纳罚款、完成整改的情况。', [
    [9, { action: 'reject', reason: '处罚信息按决定书公示；履行情况可在最短公示期满后申请信用修复。' }],
  ]);

  const goodInfoCase = (
    key: string,
    entityId: number,
    filedDaysAgo: number,
    report: {
      category: 'honour' | 'charity' | 'employment';
      level: 'city' | 'provincial' | null;
      title: string;
      description: string;
      occurredDaysAgo: number;
    },
    actions: Array<[number, Parameters<GoodInfoService['decide']>[2]]>,
  ) => {
    step(filedDaysAgo, 11, async () => {
      const { category, level, title, description } = report;
      const occurredOn = ago(report.occurredDaysAgo).toISOString().slice(0, 10);
      const v = await goodInfo.create(await userOf(entityId), {
        entityId,
        category,
        level,
        title,
        description,
        occurredOn,
        evidenceIds: [],
      });
      ids.set(key, v.id);
    });
    for (const [days, a] of actions)
      step(days, 16, async () => void (await goodInfo.decide(reviewer, ids.get(key)!, a)));
  };
  goodInfoCase(
    'g1',
    penalty().entityId,
    63,
    {
      category: 'honour',
      level: 'city',
      title: '黑河市守合同重信用企业',
      description: '获评黑河市市场监督管理局公示的年度守合同重信用企业。',
      occurredDaysAgo: 120,
    },
    [
      [62, accept],
      [58, { action: 'confirm', reason: '经核实市场监管部门公示名单，予以确认。' }],
    ],
  );
  goodInfoCase(
    'g2',
    penalty().entityId,
    27,
    {
      category: 'charity',
      level: null,
      title: '向爱辉区慈善总会捐款',
      description: '向爱辉区慈善总会捐赠抗洪救灾款项。',
      occurredDaysAgo: 40,
    },
    [[22, { action: 'reject', reason: '捐赠票据抬头与企业名称不一致，无法确认。' }]],
  );

  // Open in the reviewer's queue: one overdue (督办), one due tomorrow or so, the rest with time left.
  objection('q1', 13, 'wrong', '处罚决定书载明的违法行为发生地不在我公司经营场所，请核实。', []);
  objection('q2', 8, 'duplicate', '同一检查发现的问题被记录为两次处罚，请核实合并。', [[7, accept]]);
  objection('q3', 3, 'wrong', '我公司已提起行政复议，复议机关已受理，请暂缓公示。', []);
  objection('q4', 6, 'missing', '处罚记录缺少已履行完毕的说明。', [
    [4, { action: 'return', reason: '请上传罚款缴纳凭证和整改完成的证明材料。' }],
  ]);
  goodInfoCase(
    'q5',
    penalty().entityId,
    2,
    {
      category: 'employment',
      level: null,
      title: '吸纳高校毕业生就业',
      description: '今年招用本地高校应届毕业生十二人并签订劳动合同。',
      occurredDaysAgo: 30,
    },
    [],
  );
  // A repair application for an older penalty past its minimum publicity period, filed yesterday.
  step(1, 10, async () => {
    for (const [entityId, records] of pool.slice(next)) {
      for (const r of records) {
        try {
          await repair.create(await userOf(entityId), {
            entityId,
            recordId: idOf(r.recordId),
            statement: '罚款已全额缴纳，违法行为已整改到位，并作出信用承诺，申请信用修复。',
            materials: [],
          });
          return;
        } catch {
          // Not eligible yet (or not a repairable record): try the next one.
        }
      }
    }
  });

  // The two cycles, in time order with the decisions.
  step(30, 2, async () => {
    const p = await cycles.startOrResume({ trigger: 'schedule', at: clock.now() });
    await new InProcessDispatcher(cycles).run(p.id);
  });
  steps.push({
    at: now,
    run: async () => {
      const p = await cycles.startOrResume({ trigger: 'manual', at: now });
      await new InProcessDispatcher(cycles).run(p.id);
    },
  });

  try {
    for (const s of steps.sort((a, b) => a.at.getTime() - b.at.getTime())) {
      clock.set(s.at);
      await s.run();
    }
  } finally {
    await cycles.close();
  }
  const applications =
    (await db.prisma.objection.count()) +
    (await db.prisma.goodInfoReport.count()) +
    (await db.prisma.repairApplication.count());
  return { cycles: 2, applications };
}
