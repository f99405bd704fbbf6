import { z } from 'zod';
import { industryPrefixProblem } from '../invest/industry';
import { idParamSchema, safeText } from '../validation';
import { screenQuery } from './invest';

/**
 * 精准招商, the officer's lists: the watch list and its alerts, saved screenings with their diff,
 * the 入园 batch check, and the administrators' edit of the key-chain mapping (issue 16, items 8–9).
 */

const grade = z.enum(['A', 'B', 'C', 'D', 'E']);
const entityId = z.number().int('主体编号无效').min(1, '请选择主体').max(2_147_483_647, '主体编号无效');
const reason = (what: string) =>
  safeText({ error: `请填写${what}` })
    .trim()
    .min(2, `请填写${what}`)
    .max(200, `${what}不超过 200 字`);
const cursor = z.coerce.number().int('分页游标无效').min(1, '分页游标无效').max(2_147_483_647, '分页游标无效');

// ---- watch list --------------------------------------------------------------------------------

export const addToWatchlistBody = z.object({
  entityId,
  /** Why the officer watches: kept with the watch and in the audit trail. */
  purpose: reason('关注事由'),
  /** How far the related set reaches (hops), as in the risk scan. */
  radius: z
    .number()
    .int('关联范围应为 1 到 3 层')
    .min(1, '关联范围应为 1 到 3 层')
    .max(3, '关联范围应为 1 到 3 层')
    .default(2),
});

export const watchIdParams = z.object({ watchId: idParamSchema('关注编号应为正整数') });

export const watchItemSchema = z.object({
  watchId: z.number().int(),
  entityId: z.number().int(),
  uscc: z.string(),
  name: z.string(),
  status: z.string(),
  grade: grade.nullable(),
  score: z.number().int().nullable(),
  radius: z.number().int(),
  purpose: z.string(),
  createdAt: z.string(),
  /** When the related set was computed; adding the target again recomputes it. */
  scopeAt: z.string(),
  /** Entities the watch covers: the target and its related set. */
  scopeSize: z.number().int(),
  scopeTruncated: z.boolean(),
  unreadAlerts: z.number().int(),
});
export type WatchItem = z.infer<typeof watchItemSchema>;

export const watchlistSchema = z.object({ items: z.array(watchItemSchema), notice: z.string() });

export const removedWatchSchema = z.object({ watchId: z.number().int(), removed: z.literal(true) });

export const WATCH_ALERT_KINDS = ['grade_changed', 'negative_record'] as const;

export const watchAlertSchema = z.object({
  alertId: z.number().int(),
  watchId: z.number().int(),
  kind: z.enum(WATCH_ALERT_KINDS),
  /** The watched target. */
  watched: z.object({ entityId: z.number().int(), name: z.string(), uscc: z.string() }),
  /** Where it happened: the target itself (distance 0) or an entity of its related set. */
  entity: z.object({ entityId: z.number().int(), name: z.string(), uscc: z.string() }),
  distance: z.number().int(),
  /** In words, e.g. 信用等级由 B 调整为 D. */
  message: z.string(),
  fromGrade: grade.nullable(),
  toGrade: grade.nullable(),
  recordKind: z.string().nullable(),
  occurredAt: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type WatchAlert = z.infer<typeof watchAlertSchema>;

/**
 * What a department's webhook receives for an officer's alert (topic `invest.watch_alert`, message
 * ID `invest.watch_alert:<watchId>:<cause>`, the same on every attempt).
 */
export const watchAlertPushSchema = z.object({
  alertKind: z.enum(WATCH_ALERT_KINDS),
  watchId: z.number().int(),
  /** The officer's username. */
  officer: z.string(),
  watched: z.object({ uscc: z.string(), name: z.string() }).nullable(),
  entity: z.object({ uscc: z.string(), name: z.string() }).nullable(),
  distance: z.number().int(),
  message: z.string(),
  occurredAt: z.string(),
  detail: z.record(z.string(), z.unknown()),
  notice: z.literal('供招商决策参考，不作为失信惩戒的直接依据'),
});

export const listWatchAlertsQuery = z.object({
  unread: z
    .enum(['true', 'false'], { error: '应为 true 或 false' })
    .optional()
    .transform((v) => v === 'true'),
  watchId: cursor.optional(),
  before: cursor.optional(),
  limit: z.coerce
    .number()
    .int('条数应为 1 到 100')
    .min(1, '条数应为 1 到 100')
    .max(100, '条数应为 1 到 100')
    .default(20),
});

export const watchAlertListSchema = z.object({
  items: z.array(watchAlertSchema),
  unread: z.number().int(),
  nextBefore: z.number().int().nullable(),
  notice: z.string(),
});

export const markWatchAlertsReadBody = z
  .object({
    alertIds: z.array(z.number().int().min(1).max(2_147_483_647)).max(500, '一次最多标记 500 条').optional(),
    /** Every unread alert of the caller. */
    all: z.boolean().optional(),
  })
  .refine((b) => b.all === true || (b.alertIds?.length ?? 0) > 0, { message: '请选择要标记的预警，或选择全部' });

export const markedReadSchema = z.object({ marked: z.number().int(), unread: z.number().int() });

// ---- saved screenings --------------------------------------------------------------------------

/** A screening's filter: screenEntities' query without paging and purpose. */
export const screeningFilterSchema = screenQuery.omit({ cursor: true, limit: true, purpose: true });
export type ScreeningFilter = z.infer<typeof screeningFilterSchema>;

export const saveScreeningBody = z.object({
  name: safeText({ error: '请填写清单名称' }).trim().min(1, '请填写清单名称').max(60, '清单名称不超过 60 字'),
  filter: screeningFilterSchema,
  purpose: reason('筛选事由'),
});

export const screeningIdParams = z.object({ screeningId: idParamSchema('清单编号应为正整数') });

const screenedEntity = z.object({
  entityId: z.number().int(),
  uscc: z.string(),
  name: z.string(),
  grade,
  score: z.number().int(),
});

export const savedScreeningSchema = z.object({
  screeningId: z.number().int(),
  name: z.string(),
  /** The filter as parsed (grades as a list, the gate as a boolean). */
  filter: z.record(z.string(), z.unknown()),
  /** The filter in words. */
  filterText: z.string(),
  purpose: z.string(),
  createdAt: z.string(),
  lastRunAt: z.string().nullable(),
  lastCount: z.number().int().nullable(),
  runs: z.number().int(),
});
export type SavedScreening = z.infer<typeof savedScreeningSchema>;

export const savedScreeningListSchema = z.object({ items: z.array(savedScreeningSchema), notice: z.string() });

export const screeningDiffSchema = z.object({
  added: z.array(screenedEntity),
  removed: z.array(screenedEntity),
  gradeChanged: z.array(screenedEntity.extend({ fromGrade: grade, fromScore: z.number().int() })),
});

export const screeningRunSchema = z.object({
  screening: savedScreeningSchema,
  ranAt: z.string(),
  /** The run before this one; null on the first run (no diff then). */
  previousRunAt: z.string().nullable(),
  items: z.array(screenedEntity.extend({ chains: z.array(z.string()) })),
  /** The run stops at 500 entities (by score) and says so. */
  truncated: z.boolean(),
  diff: screeningDiffSchema.nullable(),
  notice: z.string(),
});
export type ScreeningRun = z.infer<typeof screeningRunSchema>;

// ---- 入园 check ---------------------------------------------------------------------------------

/** At most this many codes in one batch, and this many characters of pasted text or file. */
export const PARK_CHECK_MAX_CODES = 500;
export const PARK_CHECK_MAX_CHARS = 100_000;

export const runParkCheckBody = z.object({
  /** USCCs separated by lines, commas, semicolons, tabs or spaces (pasted, or a .txt/.csv file's text). */
  text: safeText({ error: '请粘贴或上传统一社会信用代码' })
    .min(1, '请粘贴或上传统一社会信用代码')
    .max(PARK_CHECK_MAX_CHARS, `内容不超过 ${PARK_CHECK_MAX_CHARS / 1000} 千字符，请分批核查`),
  /** The uploaded file's name, when the text came from one. */
  fileName: safeText().trim().max(200, '文件名不超过 200 字').optional(),
  /** Which park (园区) the entities are to enter. */
  park: safeText().trim().max(100, '园区名称不超过 100 字').optional(),
  purpose: reason('核查事由'),
  /** The lowest grade the credit gate admits (default B). */
  minGrade: grade.default('B'),
});

export const parkCheckIdParams = z.object({ parkCheckId: idParamSchema('核查编号应为正整数') });

export const PARK_FAILURES = [
  'malformed',
  'checksum',
  'duplicate',
  'not_found',
  'not_active',
  'ungraded',
  'grade_below',
  'serious_dishonesty',
] as const;

export const parkCheckRowSchema = z.object({
  /** 1-based position of the code in the batch. */
  line: z.number().int(),
  input: z.string(),
  uscc: z.string().nullable(),
  /** false: the check character fails (flagged; the entity is still looked up). */
  checksumOk: z.boolean().nullable(),
  entityId: z.number().int().nullable(),
  name: z.string().nullable(),
  status: z.string().nullable(),
  grade: grade.nullable(),
  score: z.number().int().nullable(),
  /** The credit gate: active, graded at least minGrade, no 严重失信 in its window. */
  gatePassed: z.boolean(),
  /** Risk findings in their window, per category label (repaired and revoked excluded). */
  flags: z.array(z.object({ code: z.string(), label: z.string(), count: z.number().int() })),
  underObjection: z.number().int(),
  failures: z.array(z.object({ code: z.enum(PARK_FAILURES), message: z.string() })),
});
export type ParkCheckRow = z.infer<typeof parkCheckRowSchema>;

export const parkCheckSummarySchema = z.object({
  parkCheckId: z.number().int(),
  /** RYHC-<China day>-<id>. */
  number: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  purpose: z.string(),
  park: z.string(),
  minGrade: grade,
  total: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
});

export const parkCheckSchema = parkCheckSummarySchema.extend({
  rows: z.array(parkCheckRowSchema),
  notice: z.string(),
});
export type ParkCheck = z.infer<typeof parkCheckSchema>;

export const listParkChecksQuery = z.object({
  before: cursor.optional(),
  limit: z.coerce
    .number()
    .int('条数应为 1 到 100')
    .min(1, '条数应为 1 到 100')
    .max(100, '条数应为 1 到 100')
    .default(20),
});

export const parkCheckListSchema = z.object({
  items: z.array(parkCheckSummarySchema),
  nextBefore: z.number().int().nullable(),
  notice: z.string(),
});

// ---- key chains (administrators) ---------------------------------------------------------------

export const chainCodeParams = z.object({
  code: z.string().regex(/^[a-z_]{1,32}$/, '产业链代码无效'),
});

export const updateIndustryChainBody = z.object({
  name: safeText({ error: '请填写产业链名称' }).trim().min(1, '请填写产业链名称').max(40, '产业链名称不超过 40 字'),
  prefixes: z
    .array(
      z
        .string()
        .trim()
        .transform((s) => s.toUpperCase())
        .superRefine((s, ctx) => {
          const problem = industryPrefixProblem(s);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
    )
    .min(1, '至少填写一个行业代码')
    .max(100, '行业代码不超过 100 个')
    .refine((a) => new Set(a).size === a.length, '行业代码有重复'),
  /** Why the mapping changes: in the audit trail. */
  reason: reason('调整原因'),
});

export const industryChainSchema = z.object({
  code: z.string(),
  name: z.string(),
  prefixes: z.array(z.string()),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
