import { z } from 'zod';
import { SEVERITIES } from '../records';
import {
  APPLICATION_KINDS,
  GOOD_INFO_CATEGORIES,
  HONOUR_LEVELS,
  OBJECTION_GROUNDS,
  REPAIR_MATERIAL_TYPES,
} from '../rights/labels';
import { APPLICATION_STATUSES } from '../rights/workflow';
import {
  idParamSchema,
  idSchema,
  industryPrefixSchema,
  isoDateSchema,
  isStorableText,
  recordIdParamSchema,
  recordIdSchema,
  regionPrefixSchema,
  safeText,
} from '../validation';

// The rights domain travels with its API schemas: one export line in api/index.ts serves both.
export * from '../rights';

const isoDate = isoDateSchema;
const grade = z.enum(['A', 'B', 'C', 'D', 'E']);
const evidenceId = z.uuid('材料编号无效');
/** Upper bound of the schema only; the configured EVIDENCE_MAX_FILES is enforced by the service. */
const evidenceIds = z.array(evidenceId).min(1, '请至少上传一份证明材料').max(50, '材料数量超过上限');
const reason = safeText().trim().min(2, '请填写书面理由').max(2000, '理由不超过 2000 字');

export const applicationIdParams = z.object({ id: idParamSchema('申请编号应为正整数') });
export const evidenceIdParams = z.object({ fileId: evidenceId });

export const evidenceFileSchema = z.object({
  id: z.string(),
  entityId: z.number().int(),
  mime: z.enum(['image/jpeg', 'image/png', 'application/pdf']),
  size: z.number().int(),
  sha256: z.string(),
  displayName: z.string(),
  /** WeChat content-security verdict: pending until the asynchronous check reports. */
  checkStatus: z.enum(['pending', 'pass', 'risky', 'not_applicable']),
  /** Set once attached to an application. */
  applicationKind: z.enum(APPLICATION_KINDS).nullable(),
  applicationId: z.number().int().nullable(),
  /** For repair applications: which required material this file is. */
  materialType: z.enum(REPAIR_MATERIAL_TYPES).nullable(),
  createdAt: z.string(),
});
export type EvidenceFileView = z.infer<typeof evidenceFileSchema>;

export const applicationEventSchema = z.object({
  at: z.string(),
  status: z.string(),
  /** 'enterprise', 'staff' or 'system' for enterprise users; staff see who exactly. */
  actor: z.string(),
  note: z.string().nullable(),
});

/**
 * The countdown to the due date. `provisional`: the date crosses a year whose official holiday
 * schedule is not loaded yet, so it is an estimate (shown as 预计) that is recomputed, and the
 * enterprise told, when the schedule arrives; `provisionalReason` says so in words.
 */
export const deadlineSchema = z.object({
  dueOn: z.string(),
  provisional: z.boolean(),
  provisionalReason: z.string().nullable(),
  workingDaysLeft: z.number().int().nullable(),
  urgency: z.enum(['normal', 'due_soon', 'due_today', 'overdue', 'paused', 'closed']),
  escalated: z.boolean(),
});

const outcomeSchema = z.object({
  scoreBefore: z.number().int().nullable(),
  scoreAfter: z.number().int().nullable(),
  gradeBefore: grade.nullable(),
  gradeAfter: grade.nullable(),
});

export const recordSummarySchema = z.object({
  recordId: z.number().int(),
  version: z.number().int(),
  kind: z.string(),
  kindLabel: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  category: z.string().nullable(),
  severity: z.string().nullable(),
  occurredOn: z.string(),
  summary: z.string().nullable(),
});

const applicationBase = {
  id: z.number().int(),
  entityId: z.number().int(),
  entityName: z.string(),
  uscc: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  statusLabel: z.string(),
  filedAt: z.string(),
  deadline: deadlineSchema,
  decidedAt: z.string().nullable(),
  /** Staff only: the reviewer who decided. Enterprise users see null. */
  decidedBy: z.string().nullable(),
  decisionReason: z.string().nullable(),
  outcome: outcomeSchema,
  evidence: z.array(evidenceFileSchema),
  events: z.array(applicationEventSchema),
};

// ---- Objections (异议) ---------------------------------------------------------------------------

export const objectionCorrectionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('revoke') }),
  z.object({
    action: z.literal('correct'),
    fields: z
      .object({
        severity: z.enum(SEVERITIES).nullable().optional(),
        category: safeText().min(1).max(64).nullable().optional(),
        amount: z.number().finite().nullable().optional(),
        occurredOn: isoDate.optional(),
        validTo: isoDate.nullable().optional(),
        summary: safeText().max(500).optional(),
      })
      .refine((f) => Object.keys(f).length > 0, '请至少更正一项内容'),
  }),
]);
export type ObjectionCorrection = z.infer<typeof objectionCorrectionSchema>;

export const createObjectionSchema = z.object({
  entityId: idSchema('主体编号应为正整数'),
  recordId: recordIdSchema('记录编号应为正整数'),
  ground: z.enum(OBJECTION_GROUNDS, '请选择异议理由'),
  statement: safeText().trim().min(10, '异议说明不少于 10 字').max(2000, '异议说明不超过 2000 字'),
  evidenceIds,
});
export type CreateObjection = z.infer<typeof createObjectionSchema>;

export const objectionSchema = z.object({
  ...applicationBase,
  record: recordSummarySchema,
  ground: z.enum(OBJECTION_GROUNDS),
  groundLabel: z.string(),
  statement: z.string(),
  correction: objectionCorrectionSchema.nullable(),
});
export type ObjectionView = z.infer<typeof objectionSchema>;

export const objectionListSchema = z.object({ items: z.array(objectionSchema) });

export const decideObjectionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), note: safeText().max(2000).optional() }),
  z.object({ action: z.literal('return'), reason }),
  z.object({ action: z.literal('reject'), reason }),
  z.object({ action: z.literal('uphold'), reason, correction: objectionCorrectionSchema }),
]);
export type DecideObjection = z.infer<typeof decideObjectionSchema>;

/** A resubmission may rewrite the statement (objection, repair) or description (good information). */
const rewrittenStatement = safeText().trim().min(10, '说明不少于 10 字').max(2000, '说明不超过 2000 字').optional();

export const resubmitSchema = z.object({
  note: safeText().trim().min(2, '请说明补正内容').max(2000),
  statement: rewrittenStatement,
  evidenceIds: z.array(evidenceId).max(50, '材料数量超过上限').default([]),
});
export type Resubmit = z.infer<typeof resubmitSchema>;

export const myApplicationsQuery = z.object({
  entityId: idParamSchema('主体编号应为正整数').optional(),
  status: z.enum(APPLICATION_STATUSES).optional(),
});

// ---- Good-information reports (自主上报良好信息) -----------------------------------------------------

export const createGoodInfoReportSchema = z
  .object({
    entityId: idSchema('主体编号应为正整数'),
    category: z.enum(GOOD_INFO_CATEGORIES, '请选择信息类别'),
    level: z.enum(HONOUR_LEVELS).nullable().default(null),
    title: safeText().trim().min(2, '请填写名称').max(100, '名称不超过 100 字'),
    description: safeText().trim().min(2, '请填写说明').max(2000, '说明不超过 2000 字'),
    occurredOn: isoDate,
    evidenceIds,
  })
  .refine((r) => r.category !== 'honour' || r.level !== null, { path: ['level'], message: '荣誉表彰请选择级别' });
export type CreateGoodInfoReport = z.infer<typeof createGoodInfoReportSchema>;

export const goodInfoReportSchema = z.object({
  ...applicationBase,
  category: z.enum(GOOD_INFO_CATEGORIES),
  categoryLabel: z.string(),
  level: z.enum(HONOUR_LEVELS).nullable(),
  title: z.string(),
  description: z.string(),
  occurredOn: z.string(),
  createdRecordId: z.number().int().nullable(),
});
export type GoodInfoReportView = z.infer<typeof goodInfoReportSchema>;
export const goodInfoReportListSchema = z.object({ items: z.array(goodInfoReportSchema) });

export const decideGoodInfoReportSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), note: safeText().max(2000).optional() }),
  z.object({ action: z.literal('return'), reason }),
  z.object({ action: z.literal('reject'), reason }),
  z.object({
    action: z.literal('confirm'),
    reason,
    /** The agency may correct the honour level it confirms. */
    level: z.enum(HONOUR_LEVELS).optional(),
  }),
]);
export type DecideGoodInfoReport = z.infer<typeof decideGoodInfoReportSchema>;

// ---- Credit repair (信用修复) ---------------------------------------------------------------------

export const repairMaterialsSchema = z
  .array(z.object({ evidenceId, type: z.enum(REPAIR_MATERIAL_TYPES) }))
  .max(50, '材料数量超过上限')
  .refine((m) => m.some((x) => x.type === 'commitment_letter'), '请上传信用修复承诺书')
  .refine((m) => m.some((x) => x.type === 'fulfilment_proof'), '请上传履行证明（罚款缴纳凭证或整改说明）');

export const createRepairApplicationSchema = z.object({
  entityId: idSchema('主体编号应为正整数'),
  recordId: recordIdSchema('记录编号应为正整数'),
  statement: safeText().trim().min(10, '申请说明不少于 10 字').max(2000, '申请说明不超过 2000 字'),
  materials: repairMaterialsSchema,
});
export type CreateRepairApplication = z.infer<typeof createRepairApplicationSchema>;

export const repairApplicationSchema = z.object({
  ...applicationBase,
  record: recordSummarySchema,
  statement: z.string(),
});
export type RepairApplicationView = z.infer<typeof repairApplicationSchema>;
export const repairApplicationListSchema = z.object({ items: z.array(repairApplicationSchema) });

export const decideRepairApplicationSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), note: safeText().max(2000).optional() }),
  z.object({ action: z.literal('return'), reason }),
  z.object({ action: z.literal('reject'), reason }),
  z.object({ action: z.literal('approve'), reason }),
]);
export type DecideRepairApplication = z.infer<typeof decideRepairApplicationSchema>;

export const resubmitRepairSchema = z.object({
  note: safeText().trim().min(2, '请说明补正内容').max(2000),
  statement: rewrittenStatement,
  materials: z
    .array(z.object({ evidenceId, type: z.enum(REPAIR_MATERIAL_TYPES) }))
    .max(50)
    .default([]),
});
export type ResubmitRepair = z.infer<typeof resubmitRepairSchema>;

export const recordParams = z.object({
  entityId: idParamSchema('主体编号应为正整数'),
  recordId: recordIdParamSchema('记录编号应为正整数'),
});

export const repairEligibilitySchema = z.object({
  eligible: z.boolean(),
  reason: z.enum(['not_repairable', 'not_active', 'too_early', 'no_longer_counts']).nullable(),
  possibleFrom: z.string().nullable(),
  message: z.string().nullable(),
});

// ---- Staff review queue ------------------------------------------------------------------------

export const reviewQueueQuery = z.object({
  kind: z.enum(APPLICATION_KINDS).optional(),
  /** Default: every open status. */
  status: z.enum(APPLICATION_STATUSES).optional(),
  /** Only cases due on or before this date. */
  dueBy: isoDate.optional(),
  /** The enterprise's GB/T 2260 division code starts with this. */
  region: regionPrefixSchema.optional(),
  /** The enterprise's GB/T 4754 industry code starts with this. */
  industry: industryPrefixSchema.optional(),
  escalated: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ReviewQueueQuery = z.infer<typeof reviewQueueQuery>;

export const reviewQueueItemSchema = z.object({
  kind: z.enum(APPLICATION_KINDS),
  kindLabel: z.string(),
  id: z.number().int(),
  entityId: z.number().int(),
  entityName: z.string(),
  uscc: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  statusLabel: z.string(),
  /** Ground, category or record, in words. */
  subject: z.string(),
  filedAt: z.string(),
  deadline: deadlineSchema,
  evidence: z.array(evidenceFileSchema),
});
export const reviewQueueSchema = z.object({
  today: z.string(),
  total: z.number().int(),
  escalated: z.number().int(),
  /** A holiday schedule the agency should load: deadlines into that year are provisional until it does. */
  calendarProblem: z.string().nullable(),
  items: z.array(reviewQueueItemSchema),
});
export type ReviewQueue = z.infer<typeof reviewQueueSchema>;

// ---- Calendar (法定节假日安排) ------------------------------------------------------------------

export const calendarYearParams = z.object({ year: z.coerce.number().int().min(1949).max(9999) });
export const loadCalendarScheduleSchema = z.object({
  holidays: z.array(isoDate).min(1, '放假日期不能为空，请按国务院通知填写'),
  makeupWorkdays: z.array(isoDate),
});
export const calendarStatusSchema = z.object({
  today: z.string(),
  loadedYears: z.array(z.number().int()),
  uploaded: z.array(z.object({ year: z.number().int(), loadedAt: z.string(), loadedBy: z.string() })),
  /** Loudly: the years a deadline may need that have no schedule. */
  problems: z.array(z.string()),
});
export type CalendarStatus = z.infer<typeof calendarStatusSchema>;
export const calendarLoadResultSchema = calendarStatusSchema.extend({
  /** The open applications whose provisional deadline was recomputed under the loaded schedule. */
  recomputed: z.array(
    z.object({
      kind: z.enum(APPLICATION_KINDS),
      id: z.number().int(),
      entityId: z.number().int(),
      from: z.string(),
      to: z.string(),
      provisional: z.boolean(),
    }),
  ),
});
export type CalendarLoadResult = z.infer<typeof calendarLoadResultSchema>;

// ---- Notifications -----------------------------------------------------------------------------

export const subscribeConsentSchema = z.object({
  /** Template IDs the user accepted in wx.requestSubscribeMessage (one message each). */
  templateIds: z.array(safeText().min(1).max(128)).min(1).max(10),
});
export const subscribeConsentResultSchema = z.object({ recorded: z.number().int() });

export const regulatorSubscriptionRequestSchema = z
  .object({
    name: safeText().trim().min(2, '请填写名称').max(100, '名称不超过 100 字'),
    webhookUrl: z
      .url({ protocol: /^https?$/, error: '回调地址应为 http(s) URL' })
      .refine(isStorableText, '回调地址应为 http(s) URL'),
    industryPrefix: industryPrefixSchema.nullable().default(null),
    regionPrefix: regionPrefixSchema.nullable().default(null),
  })
  .refine((s) => s.industryPrefix !== null || s.regionPrefix !== null, {
    path: ['industryPrefix'],
    message: '请至少指定行业或区划',
  });
export const regulatorSubscriptionSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  webhookUrl: z.string(),
  industryPrefix: z.string().nullable(),
  regionPrefix: z.string().nullable(),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
});
/** The signing secret is shown once, at creation. */
export const createdRegulatorSubscriptionSchema = regulatorSubscriptionSchema.extend({ secret: z.string() });
export const regulatorSubscriptionListSchema = z.object({ items: z.array(regulatorSubscriptionSchema) });
export const subscriptionIdParams = z.object({ id: idParamSchema('订阅编号应为正整数') });

// ---- listRecordVersions ------------------------------------------------------------------------

export const recordIdParams = z.object({ recordId: recordIdParamSchema('记录编号应为正整数') });

/** A record's every version, oldest first: what changed, when, and why. */
export const recordVersionsSchema = z.object({
  recordId: z.number().int(),
  entityId: z.number().int(),
  kind: z.string(),
  kindLabel: z.string(),
  items: z.array(
    z.object({
      version: z.number().int(),
      status: z.string(),
      statusLabel: z.string(),
      reason: z.string(),
      reasonLabel: z.string(),
      /** System time: the version was the record's from recordedAt until supersededAt. */
      recordedAt: z.string(),
      supersededAt: z.string().nullable(),
      category: z.string().nullable(),
      severity: z.string().nullable(),
      amount: z.string().nullable(),
      grade: z.string().nullable(),
      occurredOn: z.string(),
      validFrom: z.string(),
      validTo: z.string().nullable(),
      documentNo: z.string().nullable(),
      authority: z.string().nullable(),
      summary: z.string().nullable(),
      /** Fields that differ from the version before (empty for the first). */
      changed: z.array(z.string()),
    }),
  ),
});
export type RecordVersions = z.infer<typeof recordVersionsSchema>;

// ---- previewDecision ---------------------------------------------------------------------------

export const decisionPreviewParams = z.object({
  kind: z.enum(['objection', 'repair'], { error: '仅异议与信用修复可预览评分影响' }),
  id: idParamSchema('申请编号应为正整数'),
});

/** The exact score change if the case were decided for the enterprise now (nothing is written). */
export const decisionPreviewSchema = z.object({
  kind: z.enum(['objection', 'repair']),
  id: z.number().int(),
  /** "若异议成立并撤销该记录" / "若批准修复". */
  assumption: z.string(),
  scoreBefore: z.number().int(),
  gradeBefore: z.string(),
  scoreAfter: z.number().int(),
  gradeAfter: z.string(),
  modelVersion: z.number().int(),
  computedAt: z.string(),
});
export type DecisionPreview = z.infer<typeof decisionPreviewSchema>;
