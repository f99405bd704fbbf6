import { z } from 'zod';
import { industryPrefixSchema, isoDateSchema, regionPrefixSchema, safeText, usccSchema } from '../validation';

/**
 * Results in use (信用评价结果应用): what departments, banks and associations receive. Every payload
 * carries the advisory notice: the plan allows the evaluation as a reference, never as the direct
 * basis for punishment (不作为失信惩戒的直接依据).
 */
export const RESULT_NOTICE = '参考使用，不作为失信惩戒的直接依据' as const;
const notice = z.literal(RESULT_NOTICE);

const grade = z.enum(['A', 'B', 'C', 'D', 'E']);
const int = (min: number, max: number, message: string) =>
  z.coerce.number().int(message).min(min, message).max(max, message);

/** The incentive measures an approval system may apply (联合激励措施). */
export const INCENTIVE_MEASURES = ['green_channel', 'tolerance_acceptance', 'commitment', 'equal_priority'] as const;
export type IncentiveMeasure = (typeof INCENTIVE_MEASURES)[number];
export const INCENTIVE_MEASURE_NAMES: Record<IncentiveMeasure, string> = {
  green_channel: '绿色通道',
  tolerance_acceptance: '容缺受理',
  commitment: '告知承诺',
  equal_priority: '同等条件优先',
};
const measure = z.enum(INCENTIVE_MEASURES);

/** The catalogue's fallback row: measures for any item without rows of its own. */
export const DEFAULT_ITEM_CODE = '*';
/** An approval item code (事项编码) as the approval systems send it. */
const itemCode = z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/, '事项编码应为 1 到 64 位字母、数字或 ._-');

// ---- checkIncentives ---------------------------------------------------------------------------

/** A person's ID number as the keyed hash the platform looks people up by (HMAC-SHA256, hex). */
const idHash = z.string().regex(/^[0-9a-f]{64}$/, '身份证号哈希应为 64 位小写十六进制（HMAC-SHA256）');

/**
 * By USCC, for an entity's approval item (绿色通道 …); or by a person's keyed ID hash, for a
 * people-facing service (信易+: legal representatives of A-grade entities). Exactly one of the two.
 */
export const checkIncentivesQuery = z
  .object({ uscc: usccSchema.optional(), idHash: idHash.optional(), itemCode })
  .superRefine((q, ctx) => {
    if ((q.uscc === undefined) === (q.idHash === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [q.uscc === undefined ? 'uscc' : 'idHash'],
        message: '请提供统一社会信用代码（uscc）或身份证号哈希（idHash）二者之一',
      });
  });
export type CheckIncentivesQuery = z.infer<typeof checkIncentivesQuery>;

/** One 信易+ measure: what it gives, who provides it, the service items it applies to (`*`: all). */
export const xinyiPlusMeasureSchema = z.object({
  code: z.string(),
  name: z.string(),
  description: z.string(),
  provider: z.string(),
  itemCodes: z.array(z.string()),
});
export type XinyiPlusMeasure = z.infer<typeof xinyiPlusMeasureSchema>;

export const incentiveCheckSchema = z.object({
  /** 'entity' when asked by USCC; 'person' when asked by ID hash. */
  subject: z.enum(['entity', 'person']),
  /** The entity asked about; for a person, the A-grade entity they represent (null when none). */
  uscc: z.string().nullable(),
  itemCode: z.string(),
  /** Null when the entity has not been evaluated yet. */
  grade: grade.nullable(),
  /** The as-of instant of the evaluation the answer rests on. */
  evaluatedAt: z.string().nullable(),
  modelVersion: z.number().int().nullable(),
  eligible: z.boolean(),
  /** The green-channel measures (an entity's answer; empty for a person). */
  measures: z.array(z.object({ code: measure, name: z.string() })),
  /** The 信易+ measures for this item (a person's answer; empty for an entity). */
  xinyiPlus: z.array(xinyiPlusMeasureSchema),
  /** Which rule decided: the catalogue version and row, or the refusal rule. */
  basis: z.string(),
  catalogueVersion: z.number().int(),
  /** Why no measure applies, when none does. */
  refusal: z.string().nullable(),
  checkedAt: z.string(),
  /** Ask again after this instant: the next scoring cycle may change the answer. */
  expiresAt: z.string(),
  notice,
});
export type IncentiveCheck = z.infer<typeof incentiveCheckSchema>;

// ---- listIncentiveMeasures ---------------------------------------------------------------------

export const incentiveCatalogueSchema = z.object({
  version: z.number().int(),
  effectiveFrom: z.string(),
  basis: z.string(),
  publishedAt: z.string(),
  publishedBy: z.string(),
  rules: z.array(
    z.object({
      /** `*`: every item without rows of its own. */
      itemCode: z.string(),
      grade,
      measures: z.array(z.object({ code: measure, name: z.string() })),
    }),
  ),
  notice,
});
export type IncentiveCatalogue = z.infer<typeof incentiveCatalogueSchema>;

// ---- 信易+ ---------------------------------------------------------------------------------------

export const xinyiPlusCatalogueSchema = z.object({
  version: z.number().int(),
  effectiveFrom: z.string(),
  basis: z.string(),
  publishedAt: z.string(),
  publishedBy: z.string(),
  measures: z.array(xinyiPlusMeasureSchema),
  notice,
});
export type XinyiPlusCatalogue = z.infer<typeof xinyiPlusCatalogueSchema>;

/**
 * A new version of the 信易+ catalogue, in force from `effectiveFrom` (today or later). An empty list
 * withdraws every measure from that day.
 */
export const updateXinyiPlusMeasuresSchema = z
  .object({
    effectiveFrom: isoDateSchema,
    basis: safeText().trim().min(4, '请写明所依据的规定').max(500, '依据不超过 500 字'),
    measures: z
      .array(
        z.object({
          code: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, '措施编码应为 2 到 64 位小写字母、数字或下划线，以字母开头'),
          name: safeText().trim().min(2, '请填写措施名称').max(40, '措施名称不超过 40 字'),
          description: safeText().trim().min(4, '请写明措施内容').max(500, '措施内容不超过 500 字'),
          provider: safeText().trim().min(2, '请填写提供单位').max(100, '提供单位不超过 100 字'),
          itemCodes: z
            .array(z.union([z.literal(DEFAULT_ITEM_CODE), itemCode]))
            .min(1, '请至少写一个适用事项（* 表示全部）')
            .max(200, '适用事项不超过 200 个'),
        }),
      )
      .max(200, '单个版本最多 200 项措施'),
  })
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.measures.forEach((m, i) => {
      if (seen.has(m.code))
        ctx.addIssue({ code: 'custom', path: ['measures', i, 'code'], message: `措施编码 ${m.code} 重复` });
      seen.add(m.code);
    });
  });
export type UpdateXinyiPlusMeasures = z.infer<typeof updateXinyiPlusMeasuresSchema>;

/** What the mini program shows a legal representative: the 信易+ measures that apply to them now. */
export const myXinyiPlusSchema = z.object({
  entityId: z.number().int(),
  grade: grade.nullable(),
  eligible: z.boolean(),
  measures: z.array(xinyiPlusMeasureSchema),
  /** Why none applies, when none does, in words the user can act on. */
  refusal: z.string().nullable(),
  basis: z.string(),
  catalogueVersion: z.number().int().nullable(),
  notice,
});
export type MyXinyiPlus = z.infer<typeof myXinyiPlusSchema>;

// ---- listRecommendedEnterprises ----------------------------------------------------------------

const cursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,200}$/, '分页游标无效')
  .optional();

export const recommendedQuery = z.object({
  regionCode: regionPrefixSchema.optional(),
  /** A GB/T 4754 prefix: the section letter and up to four digits. */
  industryCode: industryPrefixSchema.optional(),
  cursor,
  limit: int(1, 200, '条数应为 1 到 200').default(50),
});
export type RecommendedQuery = z.infer<typeof recommendedQuery>;

export const recommendedEnterprisesSchema = z.object({
  items: z.array(
    z.object({
      uscc: z.string(),
      name: z.string(),
      regionCode: z.string(),
      industryCode: z.string(),
      establishedOn: z.string(),
      grade,
      modelVersion: z.number().int(),
      asOf: z.string(),
      notice,
    }),
  ),
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: z.string().nullable(),
  notice,
});
export type RecommendedEnterprises = z.infer<typeof recommendedEnterprisesSchema>;

// ---- listResultFeed ----------------------------------------------------------------------------

export const resultFeedQuery = z.object({
  /** The `nextCursor` of the previous page; without it the feed starts at its beginning. */
  cursor,
  limit: int(1, 1000, '条数应为 1 到 1000').default(100),
});
export type ResultFeedQuery = z.infer<typeof resultFeedQuery>;

export const resultFeedSchema = z.object({
  items: z.array(
    z.object({
      /** Unique per change and stable: a receiver de-duplicates on it. */
      eventId: z.string(),
      type: z.literal('grade.changed'),
      evaluationId: z.string(),
      uscc: z.string(),
      name: z.string(),
      regionCode: z.string(),
      industryCode: z.string(),
      fromGrade: grade,
      grade,
      total: z.number().int(),
      modelVersion: z.number().int(),
      asOf: z.string(),
      /** sha256 over the item's canonical content (every field but the hash and the notice). */
      hash: z.string(),
      notice,
    }),
  ),
  /**
   * Always set: pass it back to continue after the last item. An empty page means nothing newer
   * is settled yet; ask again later with the same cursor.
   */
  nextCursor: z.string(),
  notice,
});
export type ResultFeed = z.infer<typeof resultFeedSchema>;

// ---- Pushed results (webhooks) -----------------------------------------------------------------

/**
 * What the departments' webhooks receive, by topic, as `data` in `{ messageId, topic, data }`.
 * Every one states the model version and as-of time it rests on, a hash of its content (sha256 of
 * the canonical JSON — keys sorted at every level — of every field but `hash` and `notice`) and the
 * advisory notice.
 */
const sealed = {
  modelVersion: z.number().int().nullable(),
  asOf: z.string(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  notice,
};
const pushedEntity = z.object({
  id: z.number().int(),
  uscc: z.string(),
  name: z.string(),
  industryCode: z.string(),
  regionCode: z.string(),
});
const decidedRecord = z.object({
  recordId: z.number().int(),
  kind: z.string().nullable(),
  version: z.number().int().nullable(),
  status: z.string().nullable(),
  correction: z.unknown().optional(),
});
const scoreChange = z.object({
  before: z.number().int(),
  after: z.number().int(),
  gradeBefore: grade,
  gradeAfter: grade,
  modelVersion: z.number().int(),
  evaluationId: z.string().nullable(),
});

export const RESULT_PUSH_SCHEMAS = {
  /** An entity's grade moved (a decision, a delivery, the daily cycle). */
  'result.grade_changed': z.object({
    ...sealed,
    entity: pushedEntity,
    evaluationId: z.string(),
    fromGrade: grade,
    grade,
    total: z.number().int(),
  }),
  /** A scoring cycle finished: every entity scored anew. Pull the changes with listResultFeed. */
  'result.cycle_completed': z.object({
    ...sealed,
    cycleId: z.number().int(),
    trigger: z.string(),
    entities: z.number().int(),
    grades: z.record(z.string(), z.number().int()),
  }),
  /** An objection was upheld: the record is revoked or corrected, and the entity re-scored. */
  'objection.upheld': z.object({
    ...sealed,
    entity: pushedEntity,
    record: decidedRecord,
    decision: z.object({ objectionId: z.number().int(), decidedAt: z.string(), reason: z.string() }),
    score: scoreChange,
  }),
  /** A repair was approved: the record no longer counts, and the entity was re-scored. */
  'repair.approved': z.object({
    ...sealed,
    entity: pushedEntity,
    record: decidedRecord,
    decision: z.object({ repairApplicationId: z.number().int(), decidedAt: z.string(), reason: z.string() }),
    score: scoreChange,
  }),
  /**
   * Results sent before `withdrawnBefore` that counted this record are withdrawn: the record was
   * revoked. `replacedBy` is the evaluation that stands instead.
   */
  'result.recalled': z.object({
    ...sealed,
    entity: pushedEntity,
    recordId: z.number().int(),
    withdrawnBefore: z.string(),
    replacedBy: z.string().nullable(),
    reason: z.string(),
  }),
  /** A model version was published; results under it follow from its effective date. */
  'model.published': z.object({
    ...sealed,
    name: z.string(),
    effectiveFrom: z.string(),
  }),
} as const;
export type ResultPushTopic = keyof typeof RESULT_PUSH_SCHEMAS;
export const RESULT_PUSH_TOPICS = Object.keys(RESULT_PUSH_SCHEMAS) as ResultPushTopic[];

// ---- reportResultUse / getResultUseStats -------------------------------------------------------

/** What a recipient reports it did with a result (应用反馈). */
export const RESULT_USE_MEASURES = [...INCENTIVE_MEASURES, 'credit_loan', 'supervision_adjusted', 'other'] as const;
export type ResultUseMeasure = (typeof RESULT_USE_MEASURES)[number];
export const RESULT_USE_MEASURE_NAMES: Record<ResultUseMeasure, string> = {
  ...INCENTIVE_MEASURE_NAMES,
  credit_loan: '信用贷款',
  supervision_adjusted: '调整监管方式或频次',
  other: '其他措施',
};

export const reportResultUseSchema = z.object({
  /** A pulled item's eventId, or a pushed message's messageId. */
  eventId: z
    .string({ error: '请填写结果编号（eventId 或 messageId）' })
    .regex(/^[a-z_.]{3,40}:[0-9A-Za-z_.:-]{1,80}$/, '结果编号应为收到的 eventId 或 messageId'),
  measure: z.enum(RESULT_USE_MEASURES, { error: `措施应为 ${RESULT_USE_MEASURES.join('、')} 之一` }),
  outcome: z.enum(['applied', 'not_applied'], { error: '结果应为 applied（已采取）或 not_applied（未采取）' }),
  appliedOn: isoDateSchema,
  note: safeText().max(500, '说明不超过 500 字').default(''),
});
export type ReportResultUse = z.infer<typeof reportResultUseSchema>;

export const resultUseSchema = z.object({
  id: z.number().int(),
  eventId: z.string(),
  uscc: z.string(),
  measure: z.enum(RESULT_USE_MEASURES),
  measureName: z.string(),
  outcome: z.enum(['applied', 'not_applied']),
  appliedOn: z.string(),
  note: z.string(),
  reportedAt: z.string(),
});
export type ResultUse = z.infer<typeof resultUseSchema>;

export const resultUseStatsSchema = z.object({
  items: z.array(
    z.object({
      clientId: z.number().int(),
      name: z.string(),
      kind: z.string(),
      purpose: z.string(),
      legalBasis: z.string(),
      /** Results the recipient pulled from the feed. */
      received: z.number().int(),
      /** Distinct results it reported a use of. */
      reported: z.number().int(),
      /** reported ÷ received, when it received any. */
      coverage: z.number().nullable(),
      applied: z.number().int(),
      notApplied: z.number().int(),
      byMeasure: z.array(z.object({ measure: z.string(), name: z.string(), count: z.number().int() })),
    }),
  ),
});
export type ResultUseStats = z.infer<typeof resultUseStatsSchema>;

// ---- updateIncentiveMeasures -------------------------------------------------------------------

/**
 * A new version of the incentive catalogue. It takes effect on `effectiveFrom` (today or later);
 * the default item `*` must name every grade, so that no entity goes unanswered.
 */
export const updateIncentiveMeasuresSchema = z
  .object({
    effectiveFrom: isoDateSchema,
    basis: safeText().trim().min(4, '请写明所依据的规定').max(500, '依据不超过 500 字'),
    rules: z
      .array(
        z.object({
          itemCode: z.union([z.literal(DEFAULT_ITEM_CODE), itemCode]),
          grade,
          measures: z.array(measure).max(INCENTIVE_MEASURES.length),
        }),
      )
      .min(5, '至少要有通用事项（*）的 A 至 E 五级')
      .max(5000, '单个版本最多 5000 行'),
  })
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.rules.forEach((r, i) => {
      const key = `${r.itemCode}/${r.grade}`;
      if (seen.has(key))
        ctx.addIssue({ code: 'custom', path: ['rules', i], message: `事项 ${r.itemCode} 的 ${r.grade} 级重复` });
      seen.add(key);
      if (new Set(r.measures).size !== r.measures.length)
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'measures'], message: '措施重复' });
    });
    const missing = (['A', 'B', 'C', 'D', 'E'] as const).filter((g) => !seen.has(`${DEFAULT_ITEM_CODE}/${g}`));
    if (missing.length)
      ctx.addIssue({
        code: 'custom',
        path: ['rules'],
        message: `通用事项（*）缺少 ${missing.join('、')} 级：每一级都要写明（可为空措施）`,
      });
  });
export type UpdateIncentiveMeasures = z.infer<typeof updateIncentiveMeasuresSchema>;

// ---- getIncentiveCheckStats (跟踪评估) ------------------------------------------------------------

export const trackingPeriodQuery = z.object({
  days: z.coerce.number().int('天数应为整数').min(1, '天数至少为 1').max(366, '天数不超过 366').default(30),
});

/** Incentive checks (entities and persons) over the last `days` China days, and what they granted. */
export const incentiveCheckStatsSchema = z.object({
  since: z.string(),
  days: z.number().int(),
  total: z.number().int(),
  byOutcome: z.object({ granted: z.number().int(), none: z.number().int(), refused: z.number().int() }),
  /** The items asked about most, with each outcome's count. */
  byItem: z.array(
    z.object({
      itemCode: z.string(),
      granted: z.number().int(),
      none: z.number().int(),
      refused: z.number().int(),
    }),
  ),
  /** Measures granted (绿色通道 …, and 信易+ measures for persons), counted once per check that granted them. */
  byMeasure: z.array(z.object({ measure: z.string(), name: z.string(), count: z.number().int() })),
});
export type IncentiveCheckStats = z.infer<typeof incentiveCheckStatsSchema>;
