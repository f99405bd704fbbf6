import { z } from 'zod';
import { APPLICATION_KINDS, APPLICATION_STATUSES } from '../rights';
import { idParamSchema } from '../validation';

/**
 * 跟踪评估: the staff dashboard's charts, one operation each (reviewer and administrator only).
 * Months and days are China time.
 */
const grade = z.enum(['A', 'B', 'C', 'D', 'E']);
const byGrade = z.object({
  A: z.number().int(),
  B: z.number().int(),
  C: z.number().int(),
  D: z.number().int(),
  E: z.number().int(),
});
const cycleRef = z.object({ id: z.number().int(), asOf: z.string(), modelVersion: z.number().int() });

export const gradeHistoryQuery = z.object({ cycles: z.coerce.number().int().min(1).max(36).default(12) });
/** The grade distribution per finished scoring cycle, oldest first. */
export const gradeHistorySchema = z.object({
  cycles: z.array(cycleRef.extend({ total: z.number().int(), byGrade })),
});
export type GradeHistory = z.infer<typeof gradeHistorySchema>;

export const gradeMigrationsQuery = z.object({ cycleId: idParamSchema('评分批次编号应为正整数').optional() });
/**
 * Every entity graded in the cycle, by its grade in the finished cycle before it (from null: not
 * graded then) and in this one.
 */
export const gradeMigrationsSchema = z.object({
  cycle: cycleRef.nullable(),
  previous: cycleRef.nullable(),
  cells: z.array(z.object({ from: grade.nullable(), to: grade, count: z.number().int() })),
  entities: z.number().int(),
  upgraded: z.number().int(),
  downgraded: z.number().int(),
  /** The finished cycles one may choose from, newest first. */
  choices: z.array(cycleRef),
});
export type GradeMigrations = z.infer<typeof gradeMigrationsSchema>;

export const applicationCountsSchema = z.object({
  items: z.array(
    z.object({
      kind: z.enum(APPLICATION_KINDS),
      kindLabel: z.string(),
      status: z.enum(APPLICATION_STATUSES),
      statusLabel: z.string(),
      count: z.number().int(),
    }),
  ),
  total: z.number().int(),
});
export type ApplicationCounts = z.infer<typeof applicationCountsSchema>;

export const AGEING_BUCKETS = ['overdue', 'due_today', 'days_1_2', 'days_3_4', 'days_5_plus', 'paused'] as const;
export const AGEING_BUCKET_LABELS: Record<(typeof AGEING_BUCKETS)[number], string> = {
  overdue: '已超期',
  due_today: '今日到期',
  days_1_2: '剩 1–2 个工作日',
  days_3_4: '剩 3–4 个工作日',
  days_5_plus: '剩 5 个工作日以上',
  paused: '待补正（暂停计时）',
};
export const timelinessSchema = z.object({
  today: z.string(),
  deadlineWorkingDays: z.number().int(),
  /** Decided cases: decided on or before their due day, China time. */
  byKind: z.array(
    z.object({
      kind: z.enum(APPLICATION_KINDS),
      kindLabel: z.string(),
      decided: z.number().int(),
      onTime: z.number().int(),
    }),
  ),
  decided: z.number().int(),
  onTime: z.number().int(),
  /** Open cases by working days left on their deadline. */
  ageing: z.array(z.object({ bucket: z.enum(AGEING_BUCKETS), label: z.string(), count: z.number().int() })),
  open: z.number().int(),
});
export type Timeliness = z.infer<typeof timelinessSchema>;

export const objectionOutcomesQuery = z.object({ months: z.coerce.number().int().min(1).max(36).default(12) });
/** Objections decided per month (China time): upheld versus rejected, oldest month first, every month listed. */
export const objectionOutcomesSchema = z.object({
  months: z.array(z.object({ month: z.string(), upheld: z.number().int(), rejected: z.number().int() })),
});
export type ObjectionOutcomes = z.infer<typeof objectionOutcomesSchema>;

export const cycleRunsQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });
/** Scoring cycle runs, newest first. */
export const cycleRunsSchema = z.object({
  items: z.array(
    cycleRef.extend({
      status: z.enum(['running', 'done']),
      trigger: z.string(),
      triggerLabel: z.string(),
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
      durationSeconds: z.number().nullable(),
      entities: z.number().int(),
    }),
  ),
});
export type CycleRuns = z.infer<typeof cycleRunsSchema>;

/** How a cycle was started, in words. */
export const CYCLE_TRIGGER_LABELS: Record<string, string> = {
  schedule: '定时运行',
  manual: '手动运行',
  'model.publish': '模型发布',
};
