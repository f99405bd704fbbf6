import crypto from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  ErrorCodes,
  GOOD_INFO_CATEGORY_LABELS,
  goodInfoRecord,
  type CreateGoodInfoReport,
  type DecideGoodInfoReport,
  type GoodInfoCategory,
  type GoodInfoReportView,
  type HonourLevel,
} from '@heihe/shared';
import { CalendarService } from '../calendar';
import { Clock } from '../common/clock';
import { Config } from '../config/config';
import { Database, type Sql } from '../db/database';
import { dateOfDay, dayOf, idOf, idOrNull } from '../db/values';
import type { GoodInfoReport } from '../generated/prisma/client';
import {
  rescoreAround,
  type ScoreOutcome,
  ApplicationWorkflow,
  type ApplicationKindSpec,
  type ApplicationView,
  type WorkflowConfig,
} from '../review';

/** Records made from confirmed reports carry this source system (SCORING.md record catalogue). */
export const SELF_REPORT_SOURCE = 'self-report';

/** The positive record a confirmed report becomes: version 1, recorded at the decision. */
async function createRecord(sql: Sql, r: GoodInfoReport, level: HonourLevel | null, at: Date): Promise<number> {
  const category = r.category as GoodInfoCategory;
  const record = goodInfoRecord(category, level);
  const payload = { summary: r.title, description: r.description, goodInfoReportId: r.id, category, level };
  const hash = crypto.createHash('sha256').update(JSON.stringify(payload)).digest('hex');
  const { bucket } = await sql.prisma.entity.findFirstOrThrow({ where: { id: r.entityId }, select: { bucket: true } });
  const { id } = await sql.prisma.creditRecord.create({
    data: {
      entityId: r.entityId,
      bucket,
      kind: record.kind,
      sourceSystem: SELF_REPORT_SOURCE,
      sourceId: `good-info:${r.id}`,
      createdAt: at,
    },
    select: { id: true },
  });
  await sql.prisma.creditRecordVersion.create({
    data: {
      recordId: id,
      entityId: r.entityId,
      bucket,
      kind: record.kind,
      version: 1,
      status: 'active',
      category: record.category,
      occurredOn: r.occurredOn,
      validFrom: r.occurredOn,
      payload,
      contentHash: hash,
      reason: 'self_report_confirmed',
      recordedAt: at,
    },
  });
  return idOf(id);
}

interface GoodInfoTypes {
  row: GoodInfoReport;
  create: CreateGoodInfoReport;
  decide: DecideGoodInfoReport;
  fields: Omit<GoodInfoReportView, keyof ApplicationView>;
  change: { createdRecordId?: number; level?: string | null };
}

/**
 * 自主上报良好信息: honours, charity, volunteering, employment aid and contract-compliance
 * certificates, each with evidence. Once the agency confirms one, it becomes an honour or welfare
 * record (source system 'self-report') and the entity is re-scored in the same transaction.
 */
export const goodInfoKind: ApplicationKindSpec<GoodInfoTypes> = {
  kind: 'good_info',
  noun: '上报',
  table: (prisma) => prisma.goodInfoReport,
  statementColumn: 'description',

  async file(sql, { input: b, today, columns }) {
    if (b.occurredOn > today)
      throw new AppError(ErrorCodes.VALIDATION_FAILED, '获得荣誉或开展活动的日期不能晚于今天', [
        { path: 'occurredOn', message: b.occurredOn },
      ]);
    const level = b.category === 'honour' ? b.level : null;
    const occurredOn = dateOfDay(b.occurredOn);
    const dup = await sql.prisma.goodInfoReport.findFirst({
      where: {
        entityId: b.entityId,
        category: b.category,
        title: b.title,
        occurredOn,
        status: { not: 'rejected' },
      },
      select: { id: true },
    });
    if (dup) throw new AppError(ErrorCodes.APPLICATION_OPEN, '该信息已经上报过，请勿重复提交');
    const { id } = await sql.prisma.goodInfoReport.create({
      data: { ...columns, category: b.category, level, title: b.title, description: b.description, occurredOn },
      select: { id: true },
    });
    return { id, detail: { category: b.category, level } };
  },

  async decide(sql, { app, decision: d, at }) {
    if (d.action !== 'confirm') return { outcome: null, detail: { recordId: null } };
    const level = app.category === 'honour' ? ((d.level ?? app.level) as HonourLevel | null) : null;
    let recordId: number | null = null;
    const outcome: ScoreOutcome = await rescoreAround(sql, app.entityId, at, 'good_info.confirmed', async () => {
      recordId = await createRecord(sql, app, level, at);
    });
    return { outcome, change: { createdRecordId: recordId!, level }, detail: { recordId } };
  },

  async fields() {
    return (r) => ({
      category: r.category as GoodInfoCategory,
      categoryLabel: GOOD_INFO_CATEGORY_LABELS[r.category as GoodInfoCategory],
      level: r.level as HonourLevel | null,
      title: r.title,
      description: r.description,
      occurredOn: dayOf(r.occurredOn),
      createdRecordId: idOrNull(r.createdRecordId),
    });
  },
};

@Injectable()
export class GoodInfoService extends ApplicationWorkflow<GoodInfoTypes> {
  constructor(db: Database, @Inject(Config.token) config: WorkflowConfig, calendar: CalendarService, clock: Clock) {
    super(goodInfoKind, db, config, calendar, clock);
  }
}
