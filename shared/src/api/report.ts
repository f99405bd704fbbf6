import { z } from 'zod';
import { idParamSchema, safeText } from '../validation';
import { REPORT_SECTIONS } from '../report/sections';
import { RESULT_NOTICE } from './results';

/**
 * The public credit report (公共信用信息报告): a PDF an enterprise hands to a bank, a tender or a
 * park, and the public verification of it by number and code or by the file itself.
 */
const grade = z.enum(['A', 'B', 'C', 'D', 'E']);

export const reportIdParams = z.object({ reportId: idParamSchema('报告编号应为正整数') });

/** Why the report is requested, as the requester states it (printed on the cover). */
const purpose = safeText({ error: '请填写报告用途' })
  .trim()
  .min(2, '报告用途至少 2 个字')
  .max(60, '报告用途不超过 60 个字')
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), '报告用途不能含控制字符');

export const createCreditReportRequest = z.object({
  entityId: z
    .number({ error: '主体编号应为正整数' })
    .int('主体编号应为正整数')
    .min(1, '主体编号应为正整数')
    .max(2147483647),
  purpose,
});
export type CreateCreditReportRequest = z.infer<typeof createCreditReportRequest>;

export const creditReportSummarySchema = z.object({
  /** Null when the entity has no evaluation yet. */
  grade: grade.nullable(),
  score: z.number().int().nullable(),
  modelVersion: z.number().int().nullable(),
  evaluatedAt: z.string().nullable(),
  /** Records shown per section (repaired records and records out of their window are not). */
  records: z.object(
    Object.fromEntries(REPORT_SECTIONS.map((s) => [s, z.number().int()])) as Record<
      (typeof REPORT_SECTIONS)[number],
      z.ZodNumber
    >,
  ),
});
export type CreditReportSummary = z.infer<typeof creditReportSummarySchema>;

export const creditReportSchema = z.object({
  id: z.number().int(),
  reportNo: z.string(),
  entityId: z.number().int(),
  enterpriseName: z.string(),
  uscc: z.string(),
  purpose: z.string(),
  generatedAt: z.string(),
  validUntil: z.string(),
  /** validUntil has passed: the report still verifies as authentic, marked expired. */
  expired: z.boolean(),
  /** 'enterprise' (the enterprise's own request) or 'staff' (the credit agency's). */
  requestedBy: z.enum(['enterprise', 'staff']),
  summary: creditReportSummarySchema,
  /** SHA-256 of the PDF as issued; the file verifies against it. */
  sha256: z.string(),
  size: z.number().int(),
  pages: z.number().int(),
  /** SHA-256 of the data the report was made from: two reports with the same hash show the same facts. */
  dataHash: z.string(),
  notice: z.literal(RESULT_NOTICE),
});
export type CreditReport = z.infer<typeof creditReportSchema>;

/** The creation answer: the verification code is shown once, here and on the report itself. */
export const createdCreditReportSchema = creditReportSchema.extend({
  verificationCode: z.string(),
  /** The QR code's address: the public verification page with number and code filled in. */
  verifyUrl: z.string(),
});
export type CreatedCreditReport = z.infer<typeof createdCreditReportSchema>;

export const listCreditReportsQuery = z.object({
  entityId: idParamSchema('主体编号应为正整数').optional(),
  /** Reports with an id below this one (the previous page's last id). */
  before: idParamSchema('分页参数应为正整数').optional(),
  limit: z.coerce
    .number()
    .int('条数应为 1 到 100 的整数')
    .min(1, '条数应为 1 到 100 的整数')
    .max(100, '条数应为 1 到 100 的整数')
    .default(20),
});
export const creditReportListSchema = z.object({
  items: z.array(creditReportSchema),
  /** Pass as `before` for the next page; null on the last page. */
  nextBefore: z.number().int().nullable(),
});
export type CreditReportList = z.infer<typeof creditReportListSchema>;

export const verifyCreditReportRequest = z.object({
  reportNo: safeText({ error: '请填写报告编号' }).max(64, '报告编号格式不正确'),
  code: safeText({ error: '请填写验证码' }).max(64, '验证码格式不正确'),
});
export type VerifyCreditReportRequest = z.infer<typeof verifyCreditReportRequest>;

/**
 * What verification shows: no more than the report's cover does (the enterprise, the purpose, the
 * dates) and the evaluation summary. No person's data.
 */
export const creditReportVerificationSchema = z.object({
  authentic: z.literal(true),
  reportNo: z.string(),
  generatedAt: z.string(),
  validUntil: z.string(),
  expired: z.boolean(),
  enterpriseName: z.string(),
  uscc: z.string(),
  purpose: z.string(),
  summary: creditReportSummarySchema,
  sha256: z.string(),
  notice: z.literal(RESULT_NOTICE),
});
export type CreditReportVerification = z.infer<typeof creditReportVerificationSchema>;
