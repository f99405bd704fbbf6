import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  ErrorCodes,
  OBJECTION_GROUND_LABELS,
  type CreateObjection,
  type DecideObjection,
  type ObjectionCorrection,
  type ObjectionGround,
  type ObjectionView,
} from '@heihe/shared';
import { CalendarService } from '../calendar';
import { Clock } from '../common/clock';
import { Config } from '../config/config';
import { Database } from '../db/database';
import { idOf } from '../db/values';
import type { Objection } from '../generated/prisma/client';
import {
  assertNoOpenApplication,
  currentVersion,
  recordSummaries,
  writeVersion,
  type VersionChange,
  rescoreAround,
  type ScoreOutcome,
  ApplicationWorkflow,
  type ApplicationKindSpec,
  type ApplicationView,
  type WorkflowConfig,
} from '../review';

interface ObjectionTypes {
  row: Objection;
  create: CreateObjection;
  decide: DecideObjection;
  fields: Omit<ObjectionView, keyof ApplicationView>;
  change: { correction?: ObjectionCorrection };
}

/**
 * 异议: an enterprise disputes a record used in its score. Filing flags the record 异议中 (a new
 * version) at once; the agency accepts it or returns it for material, then upholds it — the record
 * is revoked or corrected as a new version — or rejects it (the flag is lifted), always with a
 * written reason, within 7 working days. Each change of the record re-scores the entity in the
 * decision's transaction; an upheld objection tells the subscribed regulators through the outbox.
 */
export const objectionKind: ApplicationKindSpec<ObjectionTypes> = {
  kind: 'objection',
  noun: '异议',
  table: (prisma) => prisma.objection,
  statementColumn: 'statement',

  async file(sql, { input: b, at, columns }) {
    const cur = await currentVersion(sql, b.entityId, b.recordId, { lock: true });
    await assertNoOpenApplication(sql, b.recordId);
    if (cur.status !== 'active')
      throw new AppError(ErrorCodes.VALIDATION_FAILED, '该记录已撤销、已修复或已过公示期，不再计分，无需提出异议', [
        { path: 'recordId', message: cur.status },
      ]);
    const { id } = await sql.prisma.objection.create({
      data: { ...columns, recordId: b.recordId, recordVersion: cur.version, ground: b.ground, statement: b.statement },
      select: { id: true },
    });
    // The record counts on while disputed, flagged 异议中: re-scored so the explanation shows it.
    await rescoreAround(sql, b.entityId, at, 'objection.filed', async () => {
      await writeVersion(sql, cur, { status: 'under_objection' }, 'objection_filed', at);
    });
    return { id, detail: { recordId: b.recordId, recordVersion: cur.version, ground: b.ground } };
  },

  async decide(sql, { app, to, decision: d, reason, at }) {
    let outcome: ScoreOutcome | null = null;
    let newVersion: number | null = null;
    const correction = d.action === 'uphold' ? d.correction : null;
    if (d.action === 'uphold' || d.action === 'reject') {
      const cur = await currentVersion(sql, app.entityId, idOf(app.recordId), { lock: true });
      let change: VersionChange | null = null;
      if (d.action === 'uphold')
        change =
          d.correction.action === 'revoke' ? { status: 'revoked' } : { ...d.correction.fields, status: 'active' };
      else if (cur.status === 'under_objection') change = { status: 'active' };
      if (change) {
        const c = change;
        outcome = await rescoreAround(sql, app.entityId, at, `objection.${to}`, async () => {
          newVersion = await writeVersion(sql, cur, c, `objection_${to}`, at);
        });
      }
    }
    const version =
      to === 'upheld' && newVersion !== null
        ? await sql.prisma.creditRecordVersion.findFirst({
            where: { recordId: idOf(app.recordId), version: newVersion },
            select: { kind: true, status: true },
          })
        : null;
    return {
      outcome,
      change: correction ? { correction } : {},
      detail: { correction, recordId: idOf(app.recordId), newVersion },
      notice:
        to === 'upheld'
          ? {
              record: {
                recordId: idOf(app.recordId),
                kind: version?.kind ?? null,
                version: newVersion,
                status: version?.status ?? null,
                correction,
              },
              decision: { objectionId: app.id, decidedAt: at.toISOString(), reason },
            }
          : undefined,
    };
  },

  async fields(sql, rows) {
    const records = await recordSummaries(
      sql,
      rows.map((r) => idOf(r.recordId)),
    );
    return (r) => ({
      record: records.get(idOf(r.recordId))!,
      ground: r.ground as ObjectionGround,
      groundLabel: OBJECTION_GROUND_LABELS[r.ground as ObjectionGround],
      statement: r.statement,
      correction: r.correction as ObjectionCorrection | null,
    });
  },
};

@Injectable()
export class ObjectionsService extends ApplicationWorkflow<ObjectionTypes> {
  constructor(db: Database, @Inject(Config.token) config: WorkflowConfig, calendar: CalendarService, clock: Clock) {
    super(objectionKind, db, config, calendar, clock);
  }
}
