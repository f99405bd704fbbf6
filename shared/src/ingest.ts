import { z } from 'zod';
import { RECORD_KINDS, SEVERITIES } from './records';
import { checkIdNumber, checkUscc, isoDateSchema, safeText } from './validation';

/**
 * One delivered row, as the provincial platform sends it in JSONL or CSV (same flat keys; CSV
 * headers are these names). `type` picks the shape; every row carries (sourceSystem, sourceId),
 * the idempotency key of delivery.
 */
const isoDate = isoDateSchema;
const optionalIsoDate = z.preprocess((v) => (v === '' ? null : v), isoDate.nullable().optional());
/** Within NUMERIC(20, 2), and where a double still counts cents exactly. */
const MAX_AMOUNT = 1e15;
const money = z.coerce.number().finite().min(0, '金额不能为负').max(MAX_AMOUNT, '金额超出范围');
const text = (max: number) => safeText().max(max, `不超过 ${max} 字`);
const optionalText = (max = 2000) => z.preprocess((v) => (v === '' ? null : v), text(max).nullable().optional());
const optionalNumber = z.preprocess(
  (v) => (v === '' || v == null ? null : v),
  z.coerce.number().finite().min(-MAX_AMOUNT, '数值超出范围').max(MAX_AMOUNT, '数值超出范围').nullable(),
);

const uscc = z.string().superRefine((v, ctx) => {
  const r = checkUscc(v);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
});
const idNumber = z.string().superRefine((v, ctx) => {
  const r = checkIdNumber(v);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason ?? '身份证号码无效' });
});

/** What identifies a delivered row across deliveries: (source system, source ID). */
export const deliveryKeySchema = z.object({
  sourceSystem: text(64).min(1, '缺少来源系统'),
  sourceId: text(128).min(1, '缺少来源编号'),
});

const keyed = { ...deliveryKeySchema.shape, uscc };

export const registrationRowSchema = z.object({
  type: z.literal('registration'),
  ...keyed,
  name: text(200).min(1, '缺少名称'),
  entityType: text(64).min(1),
  status: z.enum(['active', 'revoked', 'cancelled']).default('active'),
  establishedOn: isoDate,
  registeredCapital: money,
  paidInCapital: money,
  industryCode: z.string().regex(/^[A-T]\d{0,4}$/, '行业代码应符合 GB/T 4754'),
  regionCode: z.string().regex(/^\d{6}$/, '区划代码应为 6 位数字'),
  legalRepName: text(64).min(1),
  legalRepIdNumber: idNumber,
});

export const recordRowSchema = z.object({
  type: z.literal('record'),
  ...keyed,
  kind: z.enum(RECORD_KINDS.filter((k) => k !== 'registration') as [string, ...string[]]),
  status: z.enum(['active', 'revoked']).default('active'),
  category: optionalText(64),
  severity: z.preprocess((v) => (v === '' ? null : v), z.enum(SEVERITIES).nullable().optional()),
  amount: optionalNumber.optional(),
  grade: optionalText(4),
  occurredOn: isoDate,
  validFrom: optionalIsoDate,
  validTo: optionalIsoDate,
  /** 决定文书号 */
  documentNo: optionalText(),
  /** 决定机关 */
  authority: optionalText(),
  summary: optionalText(),
  /** 处罚内容 (or the listing's / judgment's content), as published */
  content: optionalText(),
  /** 处罚依据: the legal basis cited */
  legalBasis: optionalText(),
});

export const shareholderRowSchema = z.object({
  type: z.literal('shareholder'),
  ...keyed,
  holderName: text(200).min(1),
  holderUscc: z.preprocess((v) => (v === '' ? null : v), uscc.nullable().optional()),
  holderIdNumber: z.preprocess((v) => (v === '' ? null : v), idNumber.nullable().optional()),
  ratio: z.coerce.number().min(0).max(1, '持股比例应在 0 与 1 之间'),
  amount: money,
});

export const investmentRowSchema = z.object({
  type: z.literal('investment'),
  ...keyed,
  investeeUscc: uscc,
  investeeName: text(200).min(1),
  ratio: z.coerce.number().min(0).max(1, '持股比例应在 0 与 1 之间'),
  amount: money,
});

export const financingRowSchema = z.object({
  type: z.literal('financing'),
  ...keyed,
  round: text(32).min(1),
  amount: money,
  occurredOn: isoDate,
  investors: text(500).default(''),
});

export const keyPersonRowSchema = z.object({
  type: z.literal('key_person'),
  ...keyed,
  role: z.enum(['legal_representative', 'director', 'supervisor', 'manager']),
  name: text(64).min(1),
  idNumber,
});

export const ingestRowSchema = z.discriminatedUnion('type', [
  registrationRowSchema,
  recordRowSchema,
  shareholderRowSchema,
  investmentRowSchema,
  financingRowSchema,
  keyPersonRowSchema,
]);

export type IngestRow = z.infer<typeof ingestRowSchema>;
export type RegistrationRow = z.infer<typeof registrationRowSchema>;
export type RecordRow = z.infer<typeof recordRowSchema>;
export type ShareholderRow = z.infer<typeof shareholderRowSchema>;
export type InvestmentRow = z.infer<typeof investmentRowSchema>;
export type FinancingRow = z.infer<typeof financingRowSchema>;
export type KeyPersonRow = z.infer<typeof keyPersonRowSchema>;

export interface RowError {
  line: number;
  field: string;
  reason: string;
}

export type RowParse = { ok: true; row: IngestRow } | { ok: false; errors: RowError[] };

/**
 * The row schemas with their keys in sorted order, so a parsed row comes out with sorted keys: its
 * plain `JSON.stringify` is the canonical form the content hash is taken of (see cloud's
 * `contentHash`), with no sorting per row.
 */
function sortedShape<S extends z.ZodRawShape>(schema: z.ZodObject<S>): z.ZodObject<S> {
  return z.object(
    Object.fromEntries(
      Object.keys(schema.shape)
        .sort()
        .map((k) => [k, schema.shape[k]]),
    ) as S,
  );
}

const ROW_SCHEMAS = {
  registration: sortedShape(registrationRowSchema),
  record: sortedShape(recordRowSchema),
  shareholder: sortedShape(shareholderRowSchema),
  investment: sortedShape(investmentRowSchema),
  financing: sortedShape(financingRowSchema),
  key_person: sortedShape(keyPersonRowSchema),
} satisfies Record<IngestRow['type'], z.ZodObject>;

/**
 * Validate one delivered row; errors name the line and field so the sender can fix them. The row's
 * `type` picks its schema directly (what `ingestRowSchema` does, at a fraction of the cost per row:
 * bulk ingestion validates millions). The valid row's keys are in sorted order.
 */
export function parseIngestRow(raw: unknown, line: number): RowParse {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  const schema: z.ZodType<IngestRow> =
    typeof type === 'string' && Object.hasOwn(ROW_SCHEMAS, type)
      ? (ROW_SCHEMAS[type as IngestRow['type']] as z.ZodType<IngestRow>)
      : ingestRowSchema;
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, row: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => ({ line, field: i.path.join('.') || 'type', reason: i.message })),
  };
}

export const ingestRequestSchema = z.object({
  rows: z.array(z.record(z.string(), z.unknown())).min(1, '至少一行').max(10_000, '单次最多 10000 行'),
});

/** How many superseded lines a report lists (it counts them all): a delivery may repeat a key a million times. */
export const SUPERSEDED_LINES_LISTED = 1000;

/**
 * What became of a delivery's rows; every row is counted once: `total` is the sum of the outcomes.
 * A row is `superseded` when a later row of the same delivery has its (source system, source ID):
 * the last row per key wins, as if the delivery had carried only that one.
 */
export const ingestReportSchema = z.object({
  batchId: z.number().int(),
  total: z.number().int(),
  inserted: z.number().int(),
  versioned: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  superseded: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), field: z.string(), reason: z.string() })),
  /** The first SUPERSEDED_LINES_LISTED superseded lines, in order. */
  supersededLines: z.array(z.number().int()).max(SUPERSEDED_LINES_LISTED),
});
export type IngestReport = z.infer<typeof ingestReportSchema>;
