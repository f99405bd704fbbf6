import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  DEFAULT_ITEM_CODE,
  ErrorCodes,
  RESULT_NOTICE,
  type IncentiveCheck,
  type MyXinyiPlus,
  type UpdateXinyiPlusMeasures,
  type XinyiPlusCatalogue,
  type XinyiPlusMeasure,
} from '@heihe/shared';
import { appendAudit } from '../audit';
import { actorOf, assertEntityAccess, type Principal } from '../auth';
import { chinaDate, nextChinaTime } from '../common/china-time';
import { Clock } from '../common/clock';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
import { dateOfDay, dayOf } from '../db/values';
import { seriousRecordWhere } from './credit-gate';

const MAX_VALIDITY_MS = 30 * 24 * 3600 * 1000;
/** 信易+ is for the legal representatives of A-grade entities (黑市开招办发〔2023〕2号). */
const XINYI_GRADE = 'A';

type Grade = 'A' | 'B' | 'C' | 'D' | 'E';
const gradeOf = (g: string | null | undefined): Grade | null =>
  g === 'A' || g === 'B' || g === 'C' || g === 'D' || g === 'E' ? g : null;

const forItem = (measures: XinyiPlusMeasure[], itemCode: string | null) =>
  itemCode === null
    ? measures
    : measures.filter((m) => m.itemCodes.includes(DEFAULT_ITEM_CODE) || m.itemCodes.includes(itemCode));

/** Why an entity's legal representative gets no 信易+ measure, or null when they do. */
interface Standing {
  grade: Grade | null;
  refusal: string | null;
}

/**
 * 信易+: the measures people-facing services give the legal representatives of A-grade entities,
 * from a catalogue administrators version like the incentive catalogue. The mini program shows a
 * bound legal representative what applies; approval systems ask by the person's keyed ID hash.
 */
@Injectable()
export class XinyiPlusService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(Config.token) private readonly config: Pick<AppConfig, 'SCORING_CYCLE_AT'>,
  ) {}

  /** The catalogue in force today. */
  async catalogue(): Promise<XinyiPlusCatalogue> {
    const c = await this.catalogueOn(chinaDate(this.clock.now()));
    if (!c) throw new AppError(ErrorCodes.NOT_FOUND, '尚无施行中的信易+措施清单，请先发布');
    return c;
  }

  async publish(body: UpdateXinyiPlusMeasures, who: Principal): Promise<XinyiPlusCatalogue> {
    const now = this.clock.now();
    const today = chinaDate(now);
    if (body.effectiveFrom < today)
      throw new AppError(ErrorCodes.VALIDATION_FAILED, `施行日期不能早于今天（${today}）`, [
        { path: 'effectiveFrom', message: `施行日期不能早于今天（${today}）` },
      ]);
    const version = await this.db.tx(async (sql) => {
      const last = await sql.prisma.xinyiPlusCatalogue.findFirst({
        orderBy: { version: 'desc' },
        select: { version: true },
      });
      const v = (last?.version ?? 0) + 1;
      await sql.prisma.xinyiPlusCatalogue.create({
        data: {
          version: v,
          effectiveFrom: dateOfDay(body.effectiveFrom),
          basis: body.basis,
          publishedAt: now,
          publishedBy: actorOf(who).actorId,
          measures: { create: body.measures.map((m, position) => ({ ...m, position })) },
        },
      });
      await appendAudit(
        sql,
        {
          ...actorOf(who),
          action: 'xinyi_plus.catalogue.publish',
          objectType: 'xinyi_plus_catalogue',
          objectId: String(v),
          detail: { effectiveFrom: body.effectiveFrom, measures: body.measures.map((m) => m.code) },
        },
        { now },
      );
      return v;
    });
    return (await this.catalogueVersion(version))!;
  }

  /**
   * What the mini program shows the user acting for an enterprise: the 信易+ measures, when the
   * person they verified as is still its legal representative and the entity is A-grade and clear
   * of the credit gate.
   */
  async mine(who: Principal, entityId: number): Promise<MyXinyiPlus> {
    assertEntityAccess(who, entityId);
    if (who.kind !== 'user') throw new AppError(ErrorCodes.FORBIDDEN, '仅企业用户可调用该接口');
    const today = chinaDate(this.clock.now());
    const [binding, entity, catalogue] = await Promise.all([
      this.db.prisma.enterpriseBinding.findUnique({
        where: { userId_entityId: { userId: who.userId, entityId } },
        select: { personId: true },
      }),
      this.db.prisma.entity.findFirst({
        where: { id: entityId },
        select: { legalRepId: true, score: { select: { grade: true } } },
      }),
      this.catalogueOn(today),
    ]);
    if (!binding || !entity) throw new AppError(ErrorCodes.NOT_FOUND, '主体不存在或无权访问');
    const standing =
      entity.legalRepId !== binding.personId
        ? { grade: gradeOf(entity.score?.grade), refusal: '企业登记的法定代表人已变更，信易+ 仅面向现任法定代表人' }
        : await this.standing(entityId, entity.score?.grade ?? null, today);
    const measures = !standing.refusal && catalogue ? catalogue.measures : [];
    return {
      entityId,
      grade: standing.grade,
      eligible: measures.length > 0,
      measures,
      refusal: standing.refusal ?? (catalogue && measures.length ? null : '信用管理部门尚未发布施行中的信易+措施'),
      basis: catalogue
        ? `信易+措施清单第 ${catalogue.version} 版（${catalogue.effectiveFrom} 起施行）；${catalogue.basis}`
        : '信易+措施清单尚未发布',
      catalogueVersion: catalogue?.version ?? null,
      notice: RESULT_NOTICE,
    };
  }

  /**
   * The check for a person, by the keyed hash of their ID number: the 信易+ measures for the item,
   * when they are the legal representative of an A-grade entity clear of the credit gate. Unknown
   * people are answered like people without an entity, so the check does not reveal who is on file.
   * Audited and counted like the entity check.
   */
  async checkPerson(idHash: string, itemCode: string, who: Principal): Promise<IncentiveCheck> {
    const now = this.clock.now();
    const today = chinaDate(now);
    const person = await this.db.prisma.person.findUnique({
      where: { idNumberHash: idHash },
      select: {
        id: true,
        legalRepOf: {
          select: { id: true, uscc: true, score: { select: { grade: true, asOf: true, modelVersion: true } } },
          orderBy: { id: 'asc' },
        },
      },
    });
    const catalogue = await this.catalogueOn(today);
    if (!catalogue) throw new AppError(ErrorCodes.NOT_FOUND, '尚无施行中的信易+措施清单');
    const version = `信易+措施清单第 ${catalogue.version} 版（${catalogue.effectiveFrom} 起施行）`;
    // The A-grade entity they represent that is clear of the gate; else the first, for the reason.
    let chosen: (NonNullable<typeof person>['legalRepOf'][number] & Standing) | null = null;
    for (const e of person?.legalRepOf ?? []) {
      const s = await this.standing(e.id, e.score?.grade ?? null, today);
      if (!chosen) chosen = { ...e, ...s };
      if (!s.refusal) {
        chosen = { ...e, ...s };
        break;
      }
    }
    const refusal = chosen ? chosen.refusal : '该人员不是本市信用评价主体的法定代表人，不适用信易+措施';
    const xinyiPlus = refusal ? [] : forItem(catalogue.measures, itemCode);
    const outcome = refusal ? 'refused' : xinyiPlus.length ? 'granted' : 'none';
    const cycle = this.config.SCORING_CYCLE_AT === 'off' ? null : nextChinaTime(now, this.config.SCORING_CYCLE_AT);
    const expiresAt = new Date(Math.min(cycle?.getTime() ?? Infinity, now.getTime() + MAX_VALIDITY_MS));
    await this.db.tx(async (sql) => {
      await appendAudit(
        sql,
        {
          ...actorOf(who),
          action: 'incentive.check',
          objectType: 'person',
          objectId: person ? String(person.id) : null,
          entityId: chosen?.id ?? null,
          detail: {
            subject: 'person',
            itemCode,
            grade: chosen?.grade ?? null,
            outcome,
            xinyiPlus: xinyiPlus.map((m) => m.code),
          },
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
      subject: 'person',
      uscc: chosen?.uscc ?? null,
      itemCode,
      grade: chosen?.grade ?? null,
      evaluatedAt: chosen?.score?.asOf?.toISOString() ?? null,
      modelVersion: chosen?.score?.modelVersion ?? null,
      eligible: xinyiPlus.length > 0,
      measures: [],
      xinyiPlus,
      basis: refusal
        ? `${version}：信易+ 面向 A 级信用主体的法定代表人；严重失信主体及受严重行政处罚主体不适用`
        : `${version}，法定代表人所在主体 A 级；${catalogue.basis}`,
      catalogueVersion: catalogue.version,
      refusal,
      checkedAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      notice: RESULT_NOTICE,
    };
  }

  /** An entity's grade, and why its legal representative gets no 信易+ measure (null when they do). */
  private async standing(entityId: number, rawGrade: string | null, day: string): Promise<Standing> {
    const grade = gradeOf(rawGrade);
    const bar = await this.db.prisma.creditRecordVersion.findFirst({
      where: { entityId, ...seriousRecordWhere(day) },
      select: { kind: true },
      orderBy: { kind: 'desc' },
    });
    if (bar)
      return {
        grade,
        refusal:
          bar.kind === 'dishonesty_listing'
            ? '所在主体在公示期内列入严重失信主体名单，不适用信易+措施'
            : '所在主体在公示期内受到严重行政处罚，不适用信易+措施',
      };
    if (!grade) return { grade, refusal: '所在主体尚无信用评价结果，暂不适用信易+措施' };
    if (grade !== XINYI_GRADE)
      return { grade, refusal: `信易+ 面向 A 级信用主体的法定代表人；所在主体目前为 ${grade} 级` };
    return { grade, refusal: null };
  }

  private async catalogueOn(day: string): Promise<XinyiPlusCatalogue | null> {
    const c = await this.db.prisma.xinyiPlusCatalogue.findFirst({
      where: { effectiveFrom: { lte: dateOfDay(day) } },
      orderBy: { version: 'desc' },
      select: { version: true },
    });
    return c ? this.catalogueVersion(c.version) : null;
  }

  private async catalogueVersion(version: number): Promise<XinyiPlusCatalogue | null> {
    const c = await this.db.prisma.xinyiPlusCatalogue.findUnique({
      where: { version },
      include: { measures: { orderBy: { position: 'asc' } } },
    });
    if (!c) return null;
    return {
      version: c.version,
      effectiveFrom: dayOf(c.effectiveFrom),
      basis: c.basis,
      publishedAt: c.publishedAt.toISOString(),
      publishedBy: c.publishedBy,
      measures: c.measures.map((m) => ({
        code: m.code,
        name: m.name,
        description: m.description,
        provider: m.provider,
        itemCodes: m.itemCodes,
      })),
      notice: RESULT_NOTICE,
    };
  }
}
