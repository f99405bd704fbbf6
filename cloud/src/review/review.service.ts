import { Injectable } from '@nestjs/common';
import {
  AppError,
  APPLICATION_KIND_LABELS,
  APPLICATION_STATUS_LABELS,
  ErrorCodes,
  RECORD_KIND_LABELS,
  RECORD_STATUS_LABELS,
  RECORD_VERSION_REASON_LABELS,
  type DecisionPreview,
  type RecordVersions,
  GOOD_INFO_CATEGORY_LABELS,
  OBJECTION_GROUND_LABELS,
  type ApplicationKind,
  type ApplicationStatus,
  type EvidenceFileView,
  type GoodInfoCategory,
  type ObjectionGround,
  type ReviewQueue,
  type ReviewQueueQuery,
} from '@heihe/shared';
import { CalendarService } from '../calendar';
import { Database } from '../db/database';
import { dayOf, dayOrNull, idOf } from '../db/values';
import { evidenceOf } from '../evidence';
import { chinaDate } from '../common/china-time';
import { deadlineView } from './applications';
import { previewAround, type ScorePreview } from './rescore';
import { Clock } from '../common/clock';
import { currentVersion, recordSummaries, writeVersion } from './record-versions';

/** Thrown to end a preview's transaction: whatever it wrote is rolled back. */
const ROLL_BACK = Symbol('roll back the preview');

/** A row of the queue query below (raw SQL: its reads are typed here, not by Prisma Client). */
interface QueueRow {
  kind: ApplicationKind;
  id: number;
  entityId: number;
  entityName: string;
  uscc: string;
  status: ApplicationStatus;
  filedAt: Date;
  dueOn: string;
  dueFrom: string;
  dueProvisional: boolean;
  topic: string | null;
  title: string | null;
  /** BIGINT: a string from node-postgres, a number from PGlite (`idOrNull` makes it a number). */
  recordId: number | string | null;
  total: number;
  escalatedTotal: number;
}

/**
 * The staff review queue: objections, good-information reports and repair applications in one
 * list, filtered by kind, status, due date and the enterprise's region and industry. Overdue cases (the agency's time limit has passed
 * while it holds them) are escalated and come first; then the nearest deadline.
 */
@Injectable()
export class ReviewService {
  constructor(
    private readonly db: Database,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
  ) {}

  async queue(q: ReviewQueueQuery): Promise<ReviewQueue> {
    const today = chinaDate(this.clock.now());
    // Raw SQL: one ordered, paged list across the three application tables, with its totals (a UNION with window counts).
    const rows = await this.db.query<QueueRow>(
      `WITH q AS (
         SELECT 'objection' AS kind, id, entity_id, status, filed_at, due_on, due_from, due_provisional, ground AS topic, NULL::text AS title, record_id FROM objection
         UNION ALL
         SELECT 'good_info', id, entity_id, status, filed_at, due_on, due_from, due_provisional, category, title, NULL::bigint FROM good_info_report
         UNION ALL
         SELECT 'repair', id, entity_id, status, filed_at, due_on, due_from, due_provisional, NULL::text, NULL::text, record_id FROM repair_application
       ), f AS (
         SELECT q.*, (q.status IN ('submitted', 'accepted') AND q.due_on < $4::date) AS escalated FROM q
         WHERE ($1::text IS NULL OR q.kind = $1)
           AND (CASE WHEN $2::text IS NULL THEN q.status IN ('submitted', 'accepted', 'returned') ELSE q.status = $2 END)
           AND ($3::date IS NULL OR q.due_on <= $3::date)
       )
       SELECT f.kind, f.id, f.entity_id AS "entityId", e.name AS "entityName", e.uscc, f.status, f.filed_at AS "filedAt",
              f.due_on::text AS "dueOn", f.due_from::text AS "dueFrom", f.due_provisional AS "dueProvisional", f.topic, f.title, f.record_id AS "recordId",
              count(*) OVER ()::int AS total, (count(*) FILTER (WHERE f.escalated) OVER ())::int AS "escalatedTotal"
       FROM f JOIN entity e ON e.id = f.entity_id
       WHERE ($5::boolean IS NULL OR f.escalated = $5)
         AND ($8::text IS NULL OR starts_with(e.region_code, $8)) AND ($9::text IS NULL OR starts_with(e.industry_code, $9))
       ORDER BY f.escalated DESC, f.due_on, f.filed_at, f.kind, f.id
       LIMIT $6 OFFSET $7`,
      [
        q.kind ?? null,
        q.status ?? null,
        q.dueBy ?? null,
        today,
        q.escalated ?? null,
        q.limit,
        q.offset,
        q.region ?? null,
        q.industry ?? null,
      ],
    );
    const calendar = await this.calendar.calendar();
    const records = await recordSummaries(
      this.db,
      rows.flatMap((r) => (r.recordId === null ? [] : [idOf(r.recordId)])),
    );
    const evidence = new Map<string, EvidenceFileView[]>();
    for (const kind of ['objection', 'good_info', 'repair'] as const) {
      const ids = rows.filter((r) => r.kind === kind).map((r) => r.id);
      for (const [id, files] of await evidenceOf(this.db, kind, ids)) evidence.set(`${kind}:${id}`, files);
    }
    const subject = (r: QueueRow): string => {
      const rec = r.recordId === null ? undefined : records.get(idOf(r.recordId));
      const recordText = rec ? `${rec.kindLabel}${rec.summary ? ` ${rec.summary}` : ''}（${rec.occurredOn}）` : '';
      if (r.kind === 'objection')
        return `${OBJECTION_GROUND_LABELS[r.topic as ObjectionGround] ?? r.topic}：${recordText}`;
      if (r.kind === 'good_info')
        return `${GOOD_INFO_CATEGORY_LABELS[r.topic as GoodInfoCategory] ?? r.topic}：${r.title ?? ''}`;
      return recordText;
    };
    const items = rows.map((r) => ({
      kind: r.kind,
      kindLabel: APPLICATION_KIND_LABELS[r.kind],
      id: r.id,
      entityId: r.entityId,
      entityName: r.entityName,
      uscc: r.uscc,
      status: r.status,
      statusLabel: APPLICATION_STATUS_LABELS[r.kind][r.status],
      subject: subject(r),
      filedAt: new Date(r.filedAt).toISOString(),
      deadline: deadlineView(calendar, today, r.status, r),
      evidence: evidence.get(`${r.kind}:${r.id}`) ?? [],
    }));
    const problem = (await this.calendar.status()).problems[0] ?? null;
    return {
      today,
      total: rows[0]?.total ?? 0,
      escalated: rows[0]?.escalatedTotal ?? 0,
      calendarProblem: problem,
      items,
    };
  }

  /** A record's every version, oldest first, each with what changed from the one before. */
  async recordVersions(recordId: number): Promise<RecordVersions> {
    const r = await this.db.prisma.creditRecord.findFirst({
      where: { id: recordId },
      include: { versions: { orderBy: { version: 'asc' } } },
    });
    if (!r) throw new AppError(ErrorCodes.NOT_FOUND, '记录不存在');
    const text = (payload: unknown, key: string): string | null => {
      const v = payload && typeof payload === 'object' ? (payload as Record<string, unknown>)[key] : null;
      return v === null || v === undefined ? null : String(v);
    };
    const items = r.versions.map((v) => ({
      version: v.version,
      status: v.status,
      statusLabel: RECORD_STATUS_LABELS[v.status],
      reason: v.reason,
      reasonLabel: RECORD_VERSION_REASON_LABELS[v.reason] ?? v.reason,
      recordedAt: v.recordedAt.toISOString(),
      supersededAt: v.supersededAt?.toISOString() ?? null,
      category: v.category,
      severity: v.severity,
      amount: v.amount === null ? null : v.amount.toString(),
      grade: v.grade,
      occurredOn: dayOf(v.occurredOn),
      validFrom: dayOf(v.validFrom),
      validTo: dayOrNull(v.validTo),
      documentNo: text(v.payload, 'documentNo'),
      authority: text(v.payload, 'authority'),
      summary: text(v.payload, 'summary'),
    }));
    const compared = [
      'status',
      'category',
      'severity',
      'amount',
      'grade',
      'occurredOn',
      'validFrom',
      'validTo',
      'documentNo',
      'authority',
      'summary',
    ] as const;
    return {
      recordId: idOf(r.id),
      entityId: r.entityId,
      kind: r.kind,
      kindLabel: RECORD_KIND_LABELS[r.kind],
      items: items.map((v, i) => ({
        ...v,
        changed: i === 0 ? [] : compared.filter((k) => v[k] !== items[i - 1]![k]),
      })),
    };
  }

  /**
   * The exact effect on the score of deciding the case for the enterprise now — an objection upheld
   * by revoking the record, a repair approved — computed by writing the record's new version and
   * re-scoring in a transaction that is then rolled back: the same engine and facts as the decision
   * itself, and nothing is written.
   */
  async preview(kind: 'objection' | 'repair', id: number): Promise<DecisionPreview> {
    const app =
      kind === 'objection'
        ? await this.db.prisma.objection.findUnique({
            where: { id },
            select: { entityId: true, recordId: true, status: true },
          })
        : await this.db.prisma.repairApplication.findUnique({
            where: { id },
            select: { entityId: true, recordId: true, status: true },
          });
    if (!app) throw new AppError(ErrorCodes.NOT_FOUND, '申请不存在');
    if (!['submitted', 'accepted', 'returned'].includes(app.status))
      throw new AppError(ErrorCodes.APPLICATION_STATE, '该申请已办结，评分影响见办理结果');
    const at = this.clock.now();
    let result: ScorePreview | undefined;
    try {
      await this.db.tx(async (sql) => {
        const cur = await currentVersion(sql, app.entityId, idOf(app.recordId));
        result = await previewAround(sql, app.entityId, at, async () => {
          await writeVersion(sql, cur, { status: kind === 'objection' ? 'revoked' : 'repaired' }, 'preview', at);
        });
        throw ROLL_BACK;
      });
    } catch (e) {
      if (e !== ROLL_BACK) throw e;
    }
    return {
      kind,
      id,
      assumption: kind === 'objection' ? '若异议成立并撤销该记录' : '若批准信用修复',
      ...result!,
      computedAt: at.toISOString(),
    };
  }
}
