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
  type IncentiveCheckStats,
  type IncentiveMeasure,
  type UpdateIncentiveMeasures,
} from '@heihe/shared';
import { appendAudit, AUDIT_COLUMNS, auditValues } from '../audit';
import { actorOf, type Principal } from '../auth';
import { chinaDate, nextChinaTime } from '../common/china-time';
import { Clock } from '../common/clock';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
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

/** What a check reads, one row whatever exists: nulls where the entity or a catalogue is missing. */
interface CheckRow {
  id: number | null;
  grade: string | null;
  as_of: Date | null;
  model_version: number | null;
  version: number | null;
  published_at: Date | null;
  bar: string | null;
}

/**
 * The entity's score, the newest catalogue version effective on the day ($2), and the gravest
 * current record that bars every measure — the credit gate as `seriousRecordWhere` counts it
 * (active or under objection, in its window on the day; enum order puts dishonesty_listing last).
 */
const CHECK_READ = `
  SELECT e.id, s.grade, s.as_of, s.model_version, c.version, c.published_at,
    (SELECT v.kind::text FROM credit_record_version v
     WHERE v.entity_id = e.id AND v.superseded_at IS NULL AND v.status IN ('active', 'under_objection')
       AND v.valid_from <= $2::date AND (v.valid_to IS NULL OR v.valid_to > $2::date)
       AND (v.kind = 'dishonesty_listing' OR (v.kind = 'penalty' AND v.severity = 'serious'))
     ORDER BY v.kind DESC LIMIT 1) AS bar
  FROM (SELECT 1) one
  LEFT JOIN entity e ON e.uscc = $1
  LEFT JOIN entity_score s ON s.entity_id = e.id
  LEFT JOIN LATERAL (
    SELECT version, published_at FROM incentive_catalogue WHERE effective_from <= $2::date ORDER BY version DESC LIMIT 1
  ) c ON true`;

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
    // Raw SQL: the entity's score, the catalogue version in force and the credit gate in one
    // statement, one round trip instead of two in a row (npm run bench:feeds, docs/benchmarks.md).
    const [row] = await this.db.query<CheckRow>(CHECK_READ, [uscc, today]);
    if (!row || row.id === null) throw new AppError(ErrorCodes.NOT_FOUND, '主体不存在');
    if (row.version === null || row.published_at === null)
      throw new AppError(ErrorCodes.NOT_FOUND, '尚无施行中的激励措施清单');
    const bar = row.bar === null ? null : row.bar === 'dishonesty_listing' ? 'dishonesty_listing' : 'penalty';
    const catalogue = await this.catalogueOf({ version: row.version, publishedAt: row.published_at });
    const rules = catalogue.rules.filter((r) => r.itemCode === itemCode);
    const ruleSet = rules.length ? rules : catalogue.rules.filter((r) => r.itemCode === DEFAULT_ITEM_CODE);
    const grade = gradeOf(row.grade);

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
    const audit = auditValues(
      {
        ...actorOf(who),
        action: 'incentive.check',
        objectType: 'entity',
        objectId: String(row.id),
        entityId: row.id,
        detail: { itemCode, grade, outcome, measures: measures.map((m) => m.code), catalogue: catalogue.version },
      },
      4,
      { now },
    );
    // Raw SQL: the audit row and the day's tally in one statement (one transaction, one round trip)
    // instead of BEGIN, the INSERT, the client's upsert and COMMIT (npm run bench:feeds,
    // docs/benchmarks.md). Its commit stays synchronous: the answer is given only once the audit row
    // is on disk, since a check whose record a server crash could lose is not allowed (every check is audited).
    await this.db.query(
      `WITH audit AS (INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (${audit.sql}))
       INSERT INTO incentive_check_tally (day, item_code, outcome, checks) VALUES ($1::date, $2, $3, 1)
       ON CONFLICT (day, item_code, outcome) DO UPDATE SET checks = incentive_check_tally.checks + 1`,
      [today, itemCode, outcome, ...audit.params],
    );
    return {
      subject: 'entity',
      uscc,
      itemCode,
      grade,
      evaluatedAt: row.as_of?.toISOString() ?? null,
      modelVersion: row.model_version,
      eligible: measures.length > 0,
      measures,
      xinyiPlus: [],
      basis,
      catalogueVersion: catalogue.version,
      refusal,
      checkedAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      notice: RESULT_NOTICE,
    };
  }

  /**
   * 跟踪评估: the checks of the last `days` China days (today included) from the day's tally, and
   * the measures they granted from the checks' audit records.
   */
  async stats(days: number): Promise<IncentiveCheckStats> {
    const today = chinaDate(this.clock.now());
    const since = chinaDate(new Date(dateOfDay(today).getTime() - (days - 1) * 24 * 3600 * 1000));
    const tally = await this.db.prisma.incentiveCheckTally.groupBy({
      by: ['itemCode', 'outcome'],
      where: { day: { gte: dateOfDay(since) } },
      _sum: { checks: true },
    });
    const byOutcome = { granted: 0, none: 0, refused: 0 };
    const items = new Map<string, typeof byOutcome>();
    for (const t of tally) {
      const n = t._sum.checks ?? 0;
      const outcome = t.outcome as keyof typeof byOutcome;
      if (!(outcome in byOutcome)) continue;
      byOutcome[outcome] += n;
      const row = items.get(t.itemCode) ?? { granted: 0, none: 0, refused: 0 };
      row[outcome] += n;
      items.set(t.itemCode, row);
    }
    // Raw SQL: the granted measures are arrays inside the checks' audit details (an entity's
    // `measures`, a person's `xinyiPlus`); unnesting them set-wise is not expressible in the client.
    const granted = await this.db.query<{ measure: string; n: number }>(
      `SELECT m AS measure, count(*)::int AS n
       FROM audit_log a,
            jsonb_array_elements_text(COALESCE(a.detail->'measures', a.detail->'xinyiPlus', '[]'::jsonb)) m
       WHERE a.action = 'incentive.check' AND a.at >= ($1::date::timestamp AT TIME ZONE 'Asia/Shanghai')
       GROUP BY m ORDER BY n DESC, m`,
      [since],
    );
    const xinyi = await this.db.prisma.xinyiPlusMeasure.findMany({
      where: { code: { in: granted.map((g) => g.measure) } },
      select: { code: true, name: true },
      orderBy: { catalogueVersion: 'desc' },
    });
    const nameOf = (code: string) =>
      INCENTIVE_MEASURE_NAMES[code as IncentiveMeasure] ?? xinyi.find((x) => x.code === code)?.name ?? code;
    return {
      since,
      days,
      total: byOutcome.granted + byOutcome.none + byOutcome.refused,
      byOutcome,
      byItem: [...items]
        .map(([itemCode, r]) => ({ itemCode, ...r }))
        .sort(
          (a, b) =>
            b.granted + b.none + b.refused - (a.granted + a.none + a.refused) || a.itemCode.localeCompare(b.itemCode),
        )
        .slice(0, 10),
      byMeasure: granted.map((g) => ({ measure: g.measure, name: nameOf(g.measure), count: g.n })),
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
    const c = await this.versionOn(day);
    if (!c) throw new AppError(ErrorCodes.NOT_FOUND, '尚无施行中的激励措施清单');
    return this.catalogueOf(c);
  }

  /** The newest version effective on the day, if any. */
  private versionOn(day: string) {
    return this.db.prisma.incentiveCatalogue.findFirst({
      where: { effectiveFrom: { lte: dateOfDay(day) } },
      orderBy: { version: 'desc' },
      select: { version: true, publishedAt: true },
    });
  }

  /**
   * Published versions are never changed, so each is read once per process: keyed by its number
   * and publication time (a database rebuilt under the same number is another catalogue).
   */
  private readonly catalogues = new Map<string, Promise<IncentiveCatalogue>>();

  private catalogueOf(v: { version: number; publishedAt: Date }): Promise<IncentiveCatalogue> {
    const key = `${v.version}@${v.publishedAt.toISOString()}`;
    let c = this.catalogues.get(key);
    if (!c) {
      if (this.catalogues.size >= 16) this.catalogues.clear();
      c = this.catalogueVersion(v.version);
      this.catalogues.set(key, c);
      c.catch(() => this.catalogues.delete(key));
    }
    return c;
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
}
