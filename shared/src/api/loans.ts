import { z } from 'zod';
import { idParamSchema, idSchema, industryPrefixSchema, regionPrefixSchema, safeText, usccSchema } from '../validation';
import { RESULT_NOTICE } from './results';

/**
 * 信易贷: banks' loan products, the enterprise's data authorisation for one bank, and loan
 * applications. Amounts are in 万元 (ten thousand yuan), rates in percent a year.
 */

const grade = z.enum(['A', 'B', 'C', 'D', 'E']);

/** The longest an enterprise may authorise a bank for, in days. */
export const LOAN_AUTHORIZATION_MAX_DAYS = 90;

/** What a bank may read under an authorisation. */
export const LOAN_DATA_SCOPES = ['evaluation', 'records'] as const;
export type LoanDataScope = (typeof LOAN_DATA_SCOPES)[number];
export const LOAN_DATA_SCOPE_LABELS: Record<LoanDataScope, string> = {
  evaluation: '信用评价结果（等级、得分及逐项说明）',
  records: '信用记录明细（行政处罚、纳税等记录）',
};

export const LOAN_STATUSES = ['submitted', 'accepted', 'approved', 'rejected', 'disbursed'] as const;
export type LoanStatus = (typeof LOAN_STATUSES)[number];
export const LOAN_STATUS_LABELS: Record<LoanStatus, string> = {
  submitted: '已提交',
  accepted: '已受理',
  approved: '已授信',
  rejected: '未获授信',
  disbursed: '已放款',
};

/** The moves a bank may make; anything else is refused with LOAN_TRANSITION. */
export const LOAN_TRANSITIONS: Record<LoanStatus, readonly LoanStatus[]> = {
  submitted: ['accepted', 'rejected'],
  accepted: ['approved', 'rejected'],
  approved: ['disbursed'],
  rejected: [],
  disbursed: [],
};

export const AUTHORIZATION_STATES = ['active', 'expired', 'revoked'] as const;
export const AUTHORIZATION_STATE_LABELS: Record<(typeof AUTHORIZATION_STATES)[number], string> = {
  active: '有效',
  expired: '已过期',
  revoked: '已撤销',
};

const amount = (what: string) =>
  z
    .number({ error: `请填写${what}（万元）` })
    .int(`${what}应为整数万元`)
    .min(1, `${what}至少 1 万元`)
    .max(100_000, `${what}不超过 100000 万元`);
const rate = (what: string) =>
  z
    .number({ error: `请填写${what}（年化 %）` })
    .min(0.01, `${what}应大于 0`)
    .max(36, `${what}不超过 36%`);
const months = z
  .number({ error: '请填写期限（月）' })
  .int('期限应为整数月')
  .min(1, '期限至少 1 个月')
  .max(360, '期限不超过 360 个月');

// ---- products ----------------------------------------------------------------------------------

export const loanProductSchema = z.object({
  id: z.number().int(),
  bankId: z.number().int(),
  bankName: z.string(),
  name: z.string(),
  description: z.string(),
  minAmount: z.number().int(),
  maxAmount: z.number().int(),
  minRate: z.number(),
  maxRate: z.number(),
  termMonths: z.number().int(),
  minGrade: grade,
  /** Industry-code prefixes admitted; empty admits every industry. */
  industries: z.array(z.string()),
  /** Region-code prefixes admitted; empty admits every region. */
  regions: z.array(z.string()),
  /** Days from application to the bank's decision. */
  slaDays: z.number().int(),
  active: z.boolean(),
  updatedAt: z.string(),
});
export type LoanProduct = z.infer<typeof loanProductSchema>;

export const loanProductsQuery = z.object({
  /** The enterprise asking (one of the caller's bound enterprises); banks leave it out. */
  entityId: idParamSchema('主体编号应为正整数').optional(),
});

export const loanProductListSchema = z.object({
  /** The enterprise's grade (null for a bank, or before the first evaluation). */
  grade: grade.nullable(),
  /** Grade A: the enterprise is on the 重点推介 list banks read. */
  recommended: z.boolean(),
  items: z.array(loanProductSchema),
});
export type LoanProductList = z.infer<typeof loanProductListSchema>;

export const upsertLoanProductSchema = z
  .object({
    /** Absent: a new product; present: one of the calling bank's own. */
    id: idSchema('产品编号应为正整数').optional(),
    name: safeText().trim().min(2, '请填写产品名称').max(60, '产品名称不超过 60 字'),
    description: safeText().trim().max(500, '产品说明不超过 500 字').default(''),
    minAmount: amount('最低额度'),
    maxAmount: amount('最高额度'),
    minRate: rate('最低利率'),
    maxRate: rate('最高利率'),
    termMonths: months,
    minGrade: grade,
    industries: z.array(industryPrefixSchema).max(50, '行业不超过 50 个').default([]),
    regions: z.array(regionPrefixSchema).max(50, '区划不超过 50 个').default([]),
    slaDays: z.number().int('办理时限应为整数天').min(1, '办理时限至少 1 天').max(30, '办理时限不超过 30 天'),
    active: z.boolean().default(true),
  })
  .refine((p) => p.minAmount <= p.maxAmount, { message: '最低额度不能高于最高额度', path: ['maxAmount'] })
  .refine((p) => p.minRate <= p.maxRate, { message: '最低利率不能高于最高利率', path: ['maxRate'] });
export type UpsertLoanProduct = z.infer<typeof upsertLoanProductSchema>;

// ---- data authorisation ------------------------------------------------------------------------

const scopes = z
  .array(z.enum(LOAN_DATA_SCOPES, '授权范围只能是 evaluation 或 records'))
  .min(1, '请至少选择一项授权内容')
  .max(2, '授权内容重复');
const days = z
  .number({ error: '请填写授权天数' })
  .int('授权天数应为整数')
  .min(1, '授权至少 1 天')
  .max(LOAN_AUTHORIZATION_MAX_DAYS, `授权不超过 ${LOAN_AUTHORIZATION_MAX_DAYS} 天`);

export const grantDataAuthorizationSchema = z.object({
  entityId: idSchema('主体编号应为正整数'),
  bankId: idSchema('银行编号应为正整数'),
  scopes,
  days,
  purpose: safeText().trim().max(100, '用途不超过 100 字').default('信易贷融资对接'),
});
export type GrantDataAuthorization = z.infer<typeof grantDataAuthorizationSchema>;

export const authorizationIdParams = z.object({ authorizationId: idParamSchema('授权编号应为正整数') });

export const dataAuthorizationSchema = z.object({
  id: z.number().int(),
  entityId: z.number().int(),
  bankId: z.number().int(),
  bankName: z.string(),
  scopes: z.array(z.enum(LOAN_DATA_SCOPES)),
  purpose: z.string(),
  grantedAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  /** active until expiresAt unless revoked; an expired one lets nothing through, as a revoked one. */
  state: z.enum(AUTHORIZATION_STATES),
  /** Every read the bank made under it, newest first (from the audit trail). */
  reads: z.array(z.object({ at: z.string(), scopes: z.array(z.string()) })),
});
export type DataAuthorization = z.infer<typeof dataAuthorizationSchema>;

export const myAuthorizationsQuery = z.object({ entityId: idParamSchema('主体编号应为正整数').optional() });
export const dataAuthorizationListSchema = z.object({ items: z.array(dataAuthorizationSchema) });
export type DataAuthorizationList = z.infer<typeof dataAuthorizationListSchema>;

// ---- the bank's read ---------------------------------------------------------------------------

export const authorizedCreditParams = z.object({ uscc: usccSchema });

export const authorizedCreditSchema = z.object({
  uscc: z.string(),
  name: z.string(),
  authorizationId: z.number().int(),
  scopes: z.array(z.enum(LOAN_DATA_SCOPES)),
  expiresAt: z.string(),
  /** Present when the authorisation covers 'evaluation'. */
  evaluation: z
    .object({
      evaluationId: z.string(),
      modelVersion: z.number().int(),
      asOf: z.string(),
      total: z.number().int(),
      grade,
      groups: z.array(
        z.object({ code: z.string(), name: z.string(), max: z.number().int(), points: z.number().int() }),
      ),
    })
    .nullable(),
  /** Present when the authorisation covers 'records'. */
  records: z
    .array(
      z.object({
        recordId: z.number().int(),
        kind: z.string(),
        status: z.string(),
        occurredOn: z.string(),
        validTo: z.string().nullable(),
        summary: z.string().nullable(),
        severity: z.string().nullable(),
        authority: z.string().nullable(),
        documentNo: z.string().nullable(),
      }),
    )
    .nullable(),
  readAt: z.string(),
  notice: z.literal(RESULT_NOTICE),
});
export type AuthorizedCredit = z.infer<typeof authorizedCreditSchema>;

// ---- applications ------------------------------------------------------------------------------

export const createLoanApplicationSchema = z.object({
  entityId: idSchema('主体编号应为正整数'),
  productId: idSchema('产品编号应为正整数'),
  amount: amount('申请金额'),
  termMonths: months,
  purpose: safeText().trim().min(2, '请填写资金用途').max(200, '资金用途不超过 200 字'),
  /** The authorisation given with the application, to the product's bank. */
  authorization: z.object({ scopes, days }),
});
export type CreateLoanApplication = z.infer<typeof createLoanApplicationSchema>;

export const loanApplicationIdParams = z.object({ applicationId: idParamSchema('申请编号应为正整数') });

export const updateLoanApplicationSchema = z
  .object({
    status: z.enum(
      ['accepted', 'approved', 'rejected', 'disbursed'],
      '状态只能是 accepted、approved、rejected 或 disbursed',
    ),
    approvedAmount: amount('授信金额').optional(),
    approvedRate: rate('授信利率').optional(),
    reason: safeText().trim().max(500, '理由不超过 500 字').optional(),
    note: safeText().trim().max(500, '备注不超过 500 字').optional(),
  })
  .refine((b) => b.status !== 'approved' || (b.approvedAmount !== undefined && b.approvedRate !== undefined), {
    message: '授信须填写金额和利率',
    path: ['approvedAmount'],
  })
  .refine((b) => b.status !== 'rejected' || (b.reason !== undefined && b.reason.length >= 2), {
    message: '拒绝须说明理由',
    path: ['reason'],
  });
export type UpdateLoanApplication = z.infer<typeof updateLoanApplicationSchema>;

export const loanApplicationSchema = z.object({
  id: z.number().int(),
  productId: z.number().int(),
  productName: z.string(),
  bankId: z.number().int(),
  bankName: z.string(),
  entityId: z.number().int(),
  uscc: z.string(),
  enterpriseName: z.string(),
  amount: z.number().int(),
  termMonths: z.number().int(),
  purpose: z.string(),
  status: z.enum(LOAN_STATUSES),
  statusLabel: z.string(),
  approvedAmount: z.number().int().nullable(),
  approvedRate: z.number().nullable(),
  rejectReason: z.string().nullable(),
  /** The bank's decision (授信 or 拒绝) is due by then. */
  dueAt: z.string(),
  /** Still undecided after dueAt. */
  overdue: z.boolean(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
  authorization: z.object({
    id: z.number().int(),
    scopes: z.array(z.enum(LOAN_DATA_SCOPES)),
    expiresAt: z.string(),
    state: z.enum(AUTHORIZATION_STATES),
  }),
  timeline: z.array(
    z.object({ status: z.enum(LOAN_STATUSES), statusLabel: z.string(), at: z.string(), note: z.string().nullable() }),
  ),
});
export type LoanApplication = z.infer<typeof loanApplicationSchema>;

export const myLoanApplicationsQuery = z.object({ entityId: idParamSchema('主体编号应为正整数').optional() });
export const bankLoanApplicationsQuery = z.object({ status: z.enum(LOAN_STATUSES).optional() });
export const loanApplicationListSchema = z.object({ items: z.array(loanApplicationSchema) });
export type LoanApplicationList = z.infer<typeof loanApplicationListSchema>;

// ---- getLoanStats (跟踪评估) -----------------------------------------------------------------------

/** 信易贷 across every bank: applications by status, approval rate, amounts and time to decision. */
export const loanStatsSchema = z.object({
  total: z.number().int(),
  byStatus: z.array(z.object({ status: z.enum(LOAN_STATUSES), label: z.string(), count: z.number().int() })),
  /** Approved (授信, then 放款) ÷ decided (approved, disbursed or rejected); null before any decision. */
  approvalRate: z.number().nullable(),
  /** 万元. */
  requestedAmount: z.number().int(),
  approvedAmount: z.number().int(),
  decided: z.number().int(),
  /** Hours from submission to the bank's decision: median and 90th percentile; null before any. */
  decisionHoursMedian: z.number().nullable(),
  decisionHoursP90: z.number().nullable(),
  /** Open applications past the product's SLA. */
  overdue: z.number().int(),
});
export type LoanStats = z.infer<typeof loanStatsSchema>;
