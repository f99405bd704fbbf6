import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  ErrorCodes,
  repairEligibility,
  type CreateRepairApplication,
  type DecideRepairApplication,
  type RepairApplicationView,
  type RepairEligibility,
} from '@heihe/shared';
import { CalendarService } from '../calendar';
import { chinaDate } from '../common/china-time';
import { Clock } from '../common/clock';
import { Config } from '../config/config';
import { Database, type Sql } from '../db/database';
import { idOf } from '../db/values';
import type { RepairApplication } from '../generated/prisma/client';
import type { Principal } from '../auth';
import {
  assertNoOpenApplication,
  requireBoundUser,
  currentVersion,
  recordSummaries,
  writeVersion,
  type CurrentVersion,
  rescoreAround,
  ApplicationWorkflow,
  type ApplicationKindSpec,
  type ApplicationView,
  type WorkflowConfig,
} from '../review';
import { ModelRepository } from '../scoring';

async function eligibility(sql: Sql, cur: CurrentVersion, today: string): Promise<RepairEligibility> {
  const model = await new ModelRepository(sql).effectiveOn(today);
  return repairEligibility(cur, model.definition.decay, today);
}

interface RepairTypes {
  row: RepairApplication;
  create: CreateRepairApplication;
  decide: DecideRepairApplication;
  fields: Omit<RepairApplicationView, keyof ApplicationView>;
  change: object;
}

/**
 * 信用修复 for penalties and listings, after the minimum publicity period of the model in force
 * (SCORING.md). Earlier applications are refused with the date from which one is possible. An
 * approved repair writes the record as 已修复 (a new version, counting zero from that instant),
 * re-scores the entity in the same transaction and tells the subscribed regulators.
 */
export const repairKind: ApplicationKindSpec<RepairTypes> = {
  kind: 'repair',
  noun: '修复申请',
  table: (prisma) => prisma.repairApplication,
  statementColumn: 'statement',

  async file(sql, { input: b, today, columns }) {
    const cur = await currentVersion(sql, b.entityId, b.recordId, { lock: true });
    await assertNoOpenApplication(sql, b.recordId);
    const e = await eligibility(sql, cur, today);
    if (!e.eligible) {
      if (e.reason === 'too_early')
        throw new AppError(ErrorCodes.REPAIR_TOO_EARLY, e.message, [
          { path: 'possibleFrom', message: e.possibleFrom! },
        ]);
      throw new AppError(ErrorCodes.REPAIR_NOT_APPLICABLE, e.message, [{ path: 'recordId', message: e.reason }]);
    }
    const { id } = await sql.prisma.repairApplication.create({
      data: { ...columns, recordId: b.recordId, recordVersion: cur.version, statement: b.statement },
      select: { id: true },
    });
    return { id, detail: { recordId: b.recordId, recordVersion: cur.version } };
  },

  async decide(sql, { app, decision: d, reason, at }) {
    if (d.action !== 'approve') return { outcome: null, detail: { recordId: idOf(app.recordId), newVersion: null } };
    const cur = await currentVersion(sql, app.entityId, idOf(app.recordId), { lock: true });
    if (cur.status !== 'active' && cur.status !== 'expired')
      throw new AppError(ErrorCodes.APPLICATION_STATE, `该记录当前状态为"${cur.status}"，不能标记为已修复`);
    let newVersion: number | null = null;
    const outcome = await rescoreAround(sql, app.entityId, at, 'repair.approved', async () => {
      newVersion = await writeVersion(sql, cur, { status: 'repaired' }, 'repair_approved', at);
    });
    return {
      outcome,
      detail: { recordId: idOf(app.recordId), newVersion },
      notice: {
        record: { recordId: idOf(app.recordId), kind: cur.kind, version: newVersion, status: 'repaired' },
        decision: { repairApplicationId: app.id, decidedAt: at.toISOString(), reason },
      },
    };
  },

  async fields(sql, rows) {
    const records = await recordSummaries(
      sql,
      rows.map((r) => idOf(r.recordId)),
    );
    return (r) => ({ record: records.get(idOf(r.recordId))!, statement: r.statement });
  },
};

@Injectable()
export class RepairService extends ApplicationWorkflow<RepairTypes> {
  constructor(db: Database, @Inject(Config.token) config: WorkflowConfig, calendar: CalendarService, clock: Clock) {
    super(repairKind, db, config, calendar, clock);
  }

  /** Whether a repair of the record may be requested today, and if not, why and from when. */
  async checkEligibility(who: Principal, entityId: number, recordId: number) {
    requireBoundUser(who, entityId);
    const today = chinaDate(this.clock.now());
    const cur = await currentVersion(this.db, entityId, recordId);
    const e = await eligibility(this.db, cur, today);
    return e.eligible
      ? { eligible: true, reason: null, possibleFrom: e.possibleFrom, message: null }
      : { eligible: false, reason: e.reason, possibleFrom: e.possibleFrom, message: e.message };
  }
}
