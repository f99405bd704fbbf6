import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  DEFAULT_ITEM_CODE,
  ErrorCodes,
  INCENTIVE_MEASURE_NAMES,
  INCENTIVE_MEASURES,
  RESULT_NOTICE,
  type IncentiveCatalogue,
  type IncentiveCheck,
  type IncentiveMeasure,
  type UpdateIncentiveMeasures,
} from '@heihe/shared';
import { appendAudit } from '../audit';
import { actorOf, type Principal } from '../auth';
import { chinaDate, nextChinaTime } from '../common/china-time';
import { Clock } from '../common/clock';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
import { seriousRecordWhere } from './credit-gate';
import { dateOfDay, dayOf } from '../db/values';

/** An answer is good until the next scoring cycle, and never longer than this. */
const MAX_VALIDITY_MS = 30 * 24 * 3600 * 1000;

function measuresOf(codes: string[]): Array<{ code: IncentiveMeasure; name: string }> {
  return codes
    .filter((c): c is IncentiveMeasure => (INCENTIVE_MEASURES as readonly string[]).includes(c))
    .map((code) => ({ code, name: INCENTIVE_MEASURE_NAMES[code] }));
}

const GRADES = new Set(['A', 'B', 'C', 'D', 'E']);
type Grade = 'A' | 'B' | 'C' | 'D' | 'E';
const gradeOf = (g: string | null): Grade | null => (g !== null && GRADES.has(g) ? (g as Grade) : null);

/**
 * The green channel (绿色通道) and policy priority: which measures the catalogue in force grants an
 * entity's grade for an approval item, unless a serious dishonesty listing or a serious penalty in
 * its publicity window refuses them all.
 */
@Injectable()
export class IncentivesService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(Config.token) private readonly config: Pick<AppConfig, 'SCORING_CYCLE_AT'>,
  ) {}

  async check(uscc: string, itemCode: string, who: Principal): Promise<IncentiveCheck> {
    const now = this.clock.now();
    const today = chinaDate(now);
    const entity = await this.db.prisma.entity.findUnique({
      where: { uscc },
      select: { id: true, score: { select: { grade: true, asOf: true, modelVersion: true } } },
    });
    if (!entity) throw new AppError(ErrorCodes.NOT_FOUND, '主体不存在');
    const catalogue = await this.catalogueOn(today);
    const rules = catalogue.rules.filter((r) => r.itemCode === itemCode);
    const ruleSet = rules.length ? rules : catalogue.rules.filter((r) => r.itemCode === DEFAULT_ITEM_CODE);
    const grade = gradeOf(entity.score?.grade ?? null);
    const bar = await this.seriousRecord(entity.id, today);

    let measures: IncentiveCheck['measures'] = [];
    let refusal: string | null = null;
    let basis: string;
    const version = `激励措施清单第 ${catalogue.version} 版（${catalogue.effectiveFrom} 起施行）`;
    if (bar) {
      refusal =
        bar === 'dishonesty_listing'
          ? '该主体在公示期内列入严重失信主体名单，不论信用等级，不适用任何激励措施'
          : '该主体在公示期内受到严重行政处罚，不论信用等级，不适用任何激励措施';
      basis = `${version}：严重失信主体及受严重行政处罚主体不适用激励措施`;
    } else if (!grade) {
      refusal = '该主体尚无信用评价结果，暂不适用激励措施';
      basis = `${version}：激励措施以信用评价等级为准`;
    } else {
      const rule = ruleSet.find((r) => r.grade === grade);
      measures = rule?.measures ?? [];
      const item = rules.length ? `事项 ${itemCode}` : '通用事项（未单列的事项）';
      basis = `${version}，${item}，${grade} 级；${catalogue.basis}`;
    }
    const cycle = this.config.SCORING_CYCLE_AT === 'off' ? null : nextChinaTime(now, this.config.SCORING_CYCLE_AT);
    const expiresAt = new Date(Math.min(cycle?.getTime() ?? Infinity, now.getTime() + MAX_VALIDITY_MS));
    const outcome = bar ? 'refused' : measures.length ? 'granted' : 'none';
    await this.db.tx(async (sql) => {
      await appendAudit(
        sql,
        {
          ...actorOf(who),
          action: 'incentive.check',
          objectType: 'entity',
          objectId: String(entity.id),
          entityId: entity.id,
          detail: { itemCode, grade, outcome, measures: measures.map((m) => m.code), catalogue: catalogue.version },
        },
        { now },
      );
      await sql.prisma.incentiveCheckTally.upsert({
        where: { day_itemCode_outcome: { day: dateOfDay(today), itemCode, outcome } },
        create: { day: dateOfDay(today), itemCode, outcome, checks: 1 },
        update: { checks: { increment: 1 } },
      });
    });
    return {
      uscc,
      itemCode,
      grade,
      evaluatedAt: entity.score?.asOf?.toISOString() ?? null,
      modelVersion: entity.score?.modelVersion ?? null,
      eligible: measures.length > 0,
      measures,
      basis,
      catalogueVersion: catalogue.version,
      refusal,
      checkedAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      notice: RESULT_NOTICE,
    };
  }

  /** The catalogue in force today (the newest effective version), every item's rules. */
  async catalogue(): Promise<IncentiveCatalogue> {
    return this.catalogueOn(chinaDate(this.clock.now()));
  }

  /**
   * Publishes a new catalogue version, in force from its effective date (today or later); the
   * version in force until then keeps answering. Published versions are never changed.
   */
  async publish(body: UpdateIncentiveMeasures, who: Principal): Promise<IncentiveCatalogue> {
    const now = this.clock.now();
    const today = chinaDate(now);
    if (body.effectiveFrom < today)
      throw new AppError(ErrorCodes.VALIDATION_FAILED, `施行日期不能早于今天（${today}）`, [
        { path: 'effectiveFrom', message: `施行日期不能早于今天（${today}）` },
      ]);
    const by = actorOf(who).actorId;
    const version = await this.db.tx(async (sql) => {
      const last = await sql.prisma.incentiveCatalogue.findFirst({
        orderBy: { version: 'desc' },
        select: { version: true },
      });
      const v = (last?.version ?? 0) + 1;
      await sql.prisma.incentiveCatalogue.create({
        data: {
          version: v,
          effectiveFrom: dateOfDay(body.effectiveFrom),
          basis: body.basis,
          publishedAt: now,
          publishedBy: by,
          rules: {
            create: body.rules.map((r) => ({ itemCode: r.itemCode, grade: r.grade, measures: r.measures })),
          },
        },
      });
      await appendAudit(
        sql,
        {
          ...actorOf(who),
          action: 'incentive.catalogue.publish',
          objectType: 'incentive_catalogue',
          objectId: String(v),
          detail: { effectiveFrom: body.effectiveFrom, rules: body.rules.length },
        },
        { now },
      );
      return v;
    });
    return this.catalogueVersion(version);
  }

  private async catalogueOn(day: string): Promise<IncentiveCatalogue> {
    const c = await this.db.prisma.incentiveCatalogue.findFirst({
      where: { effectiveFrom: { lte: dateOfDay(day) } },
      orderBy: { version: 'desc' },
      select: { version: true },
    });
    if (!c) throw new AppError(ErrorCodes.NOT_FOUND, '尚无施行中的激励措施清单');
    return this.catalogueVersion(c.version);
  }

  private async catalogueVersion(version: number): Promise<IncentiveCatalogue> {
    const c = await this.db.prisma.incentiveCatalogue.findUniqueOrThrow({
      where: { version },
      include: { rules: { orderBy: [{ itemCode: 'asc' }, { grade: 'asc' }] } },
    });
    return {
      version: c.version,
      effectiveFrom: dayOf(c.effectiveFrom),
      basis: c.basis,
      publishedAt: c.publishedAt.toISOString(),
      publishedBy: c.publishedBy,
      rules: c.rules.flatMap((r) => {
        const g = gradeOf(r.grade);
        return g ? [{ itemCode: r.itemCode, grade: g, measures: measuresOf(r.measures) }] : [];
      }),
      notice: RESULT_NOTICE,
    };
  }

  /**
   * A current record that bars every measure: a 严重失信主体名单 listing or a serious penalty,
   * counting as the engine counts (active or under objection, and in its window on the day).
   */
  private async seriousRecord(entityId: number, day: string): Promise<'dishonesty_listing' | 'penalty' | null> {
    const r = await this.db.prisma.creditRecordVersion.findFirst({
      where: { entityId, ...seriousRecordWhere(day) },
      select: { kind: true },
      // Enum order: dishonesty_listing sorts after penalty, and names the graver reason.
      orderBy: { kind: 'desc' },
    });
    return r ? (r.kind === 'dishonesty_listing' ? 'dishonesty_listing' : 'penalty') : null;
  }
}
