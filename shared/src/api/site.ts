import { z } from 'zod';
import { idParamSchema, isoDateSchema, safeText, usccSchema } from '../validation';

/**
 * The public site (信用中国（黑河）) and the 诚信典型案例 lifecycle. Public payloads carry no score
 * and no grade, except for entities on the published 诚信主体 list; names of persons are masked.
 */

const grade = z.enum(['A', 'B', 'C', 'D', 'E']);
const page = z.coerce
  .number()
  .int('页码应为 1 到 20 的整数')
  .min(1, '页码应为 1 到 20 的整数')
  .max(20, '页码应为 1 到 20 的整数')
  .default(1);
/** The site pages results 10 at a time and never past page 20: a lookup, not a directory. */
export const SITE_PAGE_SIZE = 10;

// ---- searchPublicEntities ----------------------------------------------------------------------

export const publicSearchQuery = z.object({
  /** A name fragment (at least 2 characters) or a full USCC. */
  q: safeText({ error: '请输入企业名称或统一社会信用代码' })
    .trim()
    .min(2, '请至少输入 2 个字')
    .max(60, '搜索词不超过 60 个字'),
  page,
});
export type PublicSearchQuery = z.infer<typeof publicSearchQuery>;

export const publicSearchSchema = z.object({
  items: z.array(
    z.object({
      uscc: z.string(),
      name: z.string(),
      status: z.string(),
      establishedOn: z.string(),
      /** On the published 诚信主体 list now. */
      onRedList: z.boolean(),
    }),
  ),
  page: z.number().int(),
  pageSize: z.number().int(),
  hasMore: z.boolean(),
});
export type PublicSearch = z.infer<typeof publicSearchSchema>;

// ---- getPublicEntity ---------------------------------------------------------------------------

export const publicEntityParams = z.object({ uscc: usccSchema });

const redListStay = z.object({
  grade,
  /** The as-of instant of the evaluation the listing rests on. */
  gradedAt: z.string(),
  listedAt: z.string(),
  withdrawnAt: z.string().nullable(),
  /** 因信用等级下调移出 / 因新增严重失信记录移出; null while listed. */
  withdrawReason: z.string().nullable(),
});

export const publicEntitySchema = z.object({
  uscc: z.string(),
  name: z.string(),
  type: z.string(),
  status: z.string(),
  establishedOn: z.string(),
  /** In CNY, as registered. */
  registeredCapital: z.string(),
  industryCode: z.string(),
  regionCode: z.string(),
  /** Masked (张*明). */
  legalRepresentative: z.string().nullable(),
  records: z.array(
    z.object({
      kindLabel: z.string(),
      detail: z.string().nullable(),
      occurredOn: z.string(),
      validTo: z.string().nullable(),
      summary: z.string().nullable(),
      documentNo: z.string().nullable(),
      authority: z.string().nullable(),
      marks: z.array(z.string()),
    }),
  ),
  /** The current stay on the 诚信主体 list (with the grade), or null: the grade is otherwise internal. */
  redList: redListStay.nullable(),
  /** Earlier stays that ended, newest first. */
  redListHistory: z.array(redListStay),
  typicalCases: z.array(z.object({ id: z.number().int(), title: z.string(), status: z.string() })),
  /** 本页信息 as of this China date. */
  asOf: z.string(),
});
export type PublicEntity = z.infer<typeof publicEntitySchema>;

// ---- listRedList / publishRedList --------------------------------------------------------------

export const redListQuery = z.object({ page });

export const redListSchema = z.object({
  items: z.array(z.object({ uscc: z.string(), name: z.string(), grade, gradedAt: z.string(), listedAt: z.string() })),
  /** Entities that left the list in the last 90 days, newest first. */
  withdrawn: z.array(
    z.object({
      uscc: z.string(),
      name: z.string(),
      listedAt: z.string(),
      withdrawnAt: z.string(),
      withdrawReason: z.string(),
    }),
  ),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  hasMore: z.boolean(),
  /** Who may be listed, in one sentence. */
  basis: z.string(),
});
export type RedList = z.infer<typeof redListSchema>;

export const redListPublicationSchema = z.object({
  listed: z.number().int(),
  total: z.number().int(),
  publishedAt: z.string(),
});
export type RedListPublication = z.infer<typeof redListPublicationSchema>;

// ---- Typical cases (诚信典型案例) --------------------------------------------------------------

export const TYPICAL_CASE_STATUSES = [
  'check_failed',
  'checked',
  'notice',
  'rejected',
  'published',
  'withdrawn',
] as const;
export type TypicalCaseStatus = (typeof TYPICAL_CASE_STATUSES)[number];
export const TYPICAL_CASE_STATUS_LABELS: Record<TypicalCaseStatus, string> = {
  check_failed: '未通过自动核查',
  checked: '待审核',
  notice: '公示中',
  rejected: '未通过审核',
  published: '已发布',
  withdrawn: '已撤销',
};

export const caseIdParams = z.object({ id: idParamSchema('案例编号应为正整数') });

export const nominateTypicalCaseBody = z.object({
  uscc: usccSchema,
  title: safeText({ error: '请填写案例标题' }).trim().min(4, '标题 4 到 60 个字').max(60, '标题 4 到 60 个字'),
  reason: safeText({ error: '请填写推荐理由' })
    .trim()
    .min(10, '推荐理由 10 到 2000 个字')
    .max(2000, '推荐理由 10 到 2000 个字'),
});
export type NominateTypicalCaseBody = z.infer<typeof nominateTypicalCaseBody>;

export const reviewTypicalCaseBody = z.object({
  decision: z.enum(['approve', 'reject'], { error: '请选择通过或不通过' }),
  reason: safeText({ error: '请填写审核意见' })
    .trim()
    .min(2, '审核意见 2 到 500 个字')
    .max(500, '审核意见 2 到 500 个字'),
  /** The public notice period (公示期) in days, from approval. */
  noticeDays: z
    .number()
    .int('公示期应为 5 到 30 天')
    .min(5, '公示期应为 5 到 30 天')
    .max(30, '公示期应为 5 到 30 天')
    .default(7),
});
export type ReviewTypicalCaseBody = z.infer<typeof reviewTypicalCaseBody>;

export const TYPICAL_CASE_PHOTO_TYPES = ['image/jpeg', 'image/png'] as const;
/** At most this many photos, each at most 2 MB. */
export const TYPICAL_CASE_MAX_PHOTOS = 4;
export const TYPICAL_CASE_MAX_PHOTO_BYTES = 2 * 1024 * 1024;

export const publishTypicalCaseBody = z.object({
  story: safeText({ error: '请填写案例正文' })
    .trim()
    .min(50, '案例正文 50 到 5000 个字')
    .max(5000, '案例正文 50 到 5000 个字'),
  photos: z
    .array(
      z.object({
        mime: z.enum(TYPICAL_CASE_PHOTO_TYPES, { error: '照片应为 JPEG 或 PNG' }),
        /** The image, base64. */
        data: z
          .string()
          .max(Math.ceil((TYPICAL_CASE_MAX_PHOTO_BYTES * 4) / 3) + 4, '每张照片不超过 2 MB')
          .regex(/^[A-Za-z0-9+/]+={0,2}$/, '照片数据应为 base64'),
        caption: safeText().trim().max(60, '图片说明不超过 60 个字').default(''),
      }),
    )
    .max(TYPICAL_CASE_MAX_PHOTOS, `照片不超过 ${TYPICAL_CASE_MAX_PHOTOS} 张`)
    .default([]),
  /** The enterprise's written consent to publication (企业同意公开). */
  consent: z.object({
    /** Who signed for the enterprise. */
    by: safeText({ error: '请填写签署人' }).trim().min(2, '签署人 2 到 30 个字').max(30, '签署人 2 到 30 个字'),
    on: isoDateSchema,
    /** The consent letter's number or title. */
    document: safeText({ error: '请填写同意书编号或名称' })
      .trim()
      .min(2, '同意书 2 到 100 个字')
      .max(100, '同意书 2 到 100 个字'),
  }),
});
export type PublishTypicalCaseBody = z.infer<typeof publishTypicalCaseBody>;

export const withdrawTypicalCaseBody = z.object({
  reason: safeText({ error: '请填写撤销原因' })
    .trim()
    .min(4, '撤销原因 4 到 200 个字')
    .max(200, '撤销原因 4 到 200 个字'),
});

export const typicalCaseObjectionBody = z.object({
  statement: safeText({ error: '请填写异议内容' })
    .trim()
    .min(10, '异议内容 10 到 1000 个字')
    .max(1000, '异议内容 10 到 1000 个字'),
});
export type TypicalCaseObjectionBody = z.infer<typeof typicalCaseObjectionBody>;

export const objectionIdParams = z.object({ id: idParamSchema('异议编号应为正整数') });
export const decideCaseObjectionBody = z.object({
  decision: z.enum(['upheld', 'dismissed'], { error: '请选择异议成立或不成立' }),
  note: safeText({ error: '请填写处理意见' })
    .trim()
    .min(2, '处理意见 2 到 500 个字')
    .max(500, '处理意见 2 到 500 个字'),
});

const caseCheck = z.object({
  passed: z.boolean(),
  grade: grade.nullable(),
  /** Negative records in their window that failed the check. */
  negatives: z.array(z.object({ kindLabel: z.string(), occurredOn: z.string() })),
  reasons: z.array(z.string()),
  asOf: z.string(),
});

const caseEvent = z.object({ at: z.string(), status: z.string(), actor: z.string(), note: z.string().nullable() });

/** A case as staff see it. */
export const typicalCaseSchema = z.object({
  id: z.number().int(),
  uscc: z.string(),
  entityName: z.string(),
  title: z.string(),
  reason: z.string(),
  status: z.enum(TYPICAL_CASE_STATUSES),
  nominatedBy: z.string(),
  nominatedAt: z.string(),
  check: caseCheck.nullable(),
  reviewedAt: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewReason: z.string().nullable(),
  noticeFrom: z.string().nullable(),
  noticeUntil: z.string().nullable(),
  story: z.string().nullable(),
  photoCount: z.number().int(),
  consent: z.object({ by: z.string(), on: z.string(), document: z.string() }).nullable(),
  publishedAt: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  withdrawnBy: z.string().nullable(),
  withdrawReason: z.string().nullable(),
  objections: z.object({ queued: z.number().int(), total: z.number().int() }),
  timeline: z.array(caseEvent),
});
export type TypicalCase = z.infer<typeof typicalCaseSchema>;

export const staffCasesQuery = z.object({
  status: z.enum(TYPICAL_CASE_STATUSES).optional(),
  page,
});
export const staffCasesSchema = z.object({
  items: z.array(typicalCaseSchema.omit({ timeline: true, story: true })),
  page: z.number().int(),
  pageSize: z.number().int(),
  hasMore: z.boolean(),
});

export const caseObjectionsQuery = z.object({ status: z.enum(['queued', 'upheld', 'dismissed']).optional(), page });
export const caseObjectionSchema = z.object({
  id: z.number().int(),
  caseId: z.number().int(),
  caseTitle: z.string(),
  statement: z.string(),
  submittedAt: z.string(),
  status: z.enum(['queued', 'upheld', 'dismissed']),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decisionNote: z.string().nullable(),
});
export const caseObjectionsSchema = z.object({
  items: z.array(caseObjectionSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  hasMore: z.boolean(),
});
export const objectionReceiptSchema = z.object({
  id: z.number().int(),
  submittedAt: z.string(),
  /** What happens next, in one sentence. */
  message: z.string(),
});

/** A case as the public sees it: only once its notice began; the enterprise's consent, not its signer. */
export const publicCaseSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  uscc: z.string(),
  entityName: z.string(),
  status: z.enum(['notice', 'published', 'withdrawn']),
  reason: z.string(),
  story: z.string().nullable(),
  photos: z.array(z.object({ url: z.string(), caption: z.string() })),
  noticeFrom: z.string(),
  noticeUntil: z.string(),
  /** During the notice period anyone may object through the site. */
  objectionsOpen: z.boolean(),
  consentRecorded: z.boolean(),
  publishedAt: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  withdrawReason: z.string().nullable(),
});
export type PublicCase = z.infer<typeof publicCaseSchema>;

export const publicCasesQuery = z.object({ page });
export const publicCasesSchema = z.object({
  items: z.array(publicCaseSchema.omit({ story: true, photos: true }).extend({ photo: z.string().nullable() })),
  page: z.number().int(),
  pageSize: z.number().int(),
  hasMore: z.boolean(),
});
export type PublicCases = z.infer<typeof publicCasesSchema>;
export * from '../site';
