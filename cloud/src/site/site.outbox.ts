import { appendAudit } from '../audit';
import type { Sql } from '../db/database';
import type { OutboxContribution } from '../outbox';
import { caseEvent } from './cases.service';

/** The internal `record.negative` message, as the trigger on credit_record_version queues it. */
interface NegativeRecord {
  versionId: number;
  entityId: number;
  kind: string;
  severity: 'minor' | 'general' | 'serious' | null;
  validFrom: string;
  validTo: string | null;
  /** The day (Asia/Shanghai) the version was added: the record must be in its window then. */
  queuedOn: string;
}

/** The internal `grade.changed` message, as the evaluation writer queues it. */
interface GradeChanged {
  entityId: number;
  to: string;
}

/** What withdraws an entity's open cases (and, when `redList`, its red-list entries). */
export type Withdrawal =
  | { cause: 'negative_record'; entityId: number; serious: boolean }
  | { cause: 'downgrade'; entityId: number; grade: string };

/** Statuses a case is withdrawn from automatically (a nominated one too, unlike staff's withdrawal). */
const OPEN = ['nominated', 'checked', 'notice', 'published'];
const ACTOR = { actorKind: 'system', actorId: 'site.auto-withdraw' } as const;

/**
 * The automatic withdrawal (诚信典型案例 and 诚信主体名单) in the caller's transaction: the entity's
 * open typical cases are withdrawn, each with a timeline event; on a downgrade or a serious record
 * its red-list entries too. Every withdrawal is audited (actor 'system'). Only rows still open are
 * touched, so running it again for the same cause changes nothing.
 */
export async function autoWithdraw(
  sql: Sql,
  w: Withdrawal,
  now: Date = new Date(),
): Promise<{ cases: number; redList: number }> {
  const downgrade = w.cause === 'downgrade';
  const caseReason = downgrade
    ? `该主体信用等级下调为 ${w.grade} 级，案例自动撤销`
    : '该主体新增失信或负面信用记录，案例自动撤销';
  const eventNote = downgrade ? `信用等级下调为 ${w.grade} 级，自动撤销` : '新增负面信用记录，自动撤销';
  const detail = (cause: string) =>
    downgrade ? { cause: 'downgrade', grade: w.grade, automatic: true } : { cause, automatic: true };

  let cases = 0;
  const open = await sql.prisma.typicalCase.findMany({
    where: { entityId: w.entityId, status: { in: OPEN } },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  for (const { id } of open) {
    // The status is checked again by the update: a case staff withdrew meanwhile is left alone.
    const { count } = await sql.prisma.typicalCase.updateMany({
      where: { id, status: { in: OPEN } },
      data: { status: 'withdrawn', withdrawnAt: now, withdrawnBy: 'system', withdrawReason: caseReason },
    });
    if (!count) continue;
    cases++;
    await caseEvent(sql, id, now, 'withdrawn', 'system', eventNote);
    await appendAudit(
      sql,
      {
        ...ACTOR,
        action: 'typical_case.withdraw',
        objectType: 'typical_case',
        objectId: String(id),
        entityId: w.entityId,
        detail: detail('negative_record'),
      },
      { now },
    );
  }

  let redList = 0;
  if (downgrade || w.serious) {
    const listed = await sql.prisma.redListEntry.findMany({
      where: { entityId: w.entityId, withdrawnAt: null },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    for (const { id } of listed) {
      const { count } = await sql.prisma.redListEntry.updateMany({
        where: { id, withdrawnAt: null },
        data: { withdrawnAt: now, withdrawReason: downgrade ? 'downgrade' : 'serious_record' },
      });
      if (!count) continue;
      redList++;
      await appendAudit(
        sql,
        {
          ...ACTOR,
          action: 'red_list.withdraw',
          objectType: 'red_list_entry',
          objectId: String(id),
          entityId: w.entityId,
          detail: detail('serious_record'),
        },
        { now },
      );
    }
  }
  return { cases, redList };
}

/**
 * A new negative record withdraws when it is in its window on the day it was added; it is serious
 * when it puts the entity on 严重失信主体名单 or is a serious penalty (the credit gate of
 * results/credit-gate.ts).
 */
export function recordWithdrawal(p: NegativeRecord): Withdrawal | null {
  if (p.validFrom > p.queuedOn || (p.validTo !== null && p.validTo <= p.queuedOn)) return null;
  const serious = p.kind === 'dishonesty_listing' || (p.kind === 'penalty' && p.severity === 'serious');
  return { cause: 'negative_record', entityId: p.entityId, serious };
}

/**
 * What the public site hands the outbox relay (ADR 0027 step 4: these were triggers): a new negative
 * record and a grade change below A withdraw the entity's open typical cases and red-list entries,
 * in the message's transaction, which also marks it handled.
 */
export function siteOutbox(): OutboxContribution {
  return {
    from: 'site',
    handlers: {
      'record.negative': async (sql, m) => {
        const w = recordWithdrawal(m.payload as unknown as NegativeRecord);
        if (w) await autoWithdraw(sql, w);
      },
      'grade.changed': async (sql, m) => {
        const p = m.payload as unknown as GradeChanged;
        if (p.to === 'A') return;
        // The relay may handle a downgrade late (behind a bulk delivery's record.negative messages):
        // an entity back at A since keeps what it was granted after.
        const current = await sql.prisma.entityScore.findFirst({
          where: { entityId: p.entityId },
          select: { grade: true },
        });
        if (current?.grade === 'A') return;
        await autoWithdraw(sql, { cause: 'downgrade', entityId: p.entityId, grade: p.to });
      },
    },
  };
}
