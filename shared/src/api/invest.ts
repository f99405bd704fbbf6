import { z } from 'zod';
import { safeText } from '../validation';

/** Every investment-check output carries this line (黑市开招办发〔2023〕2号: results are never a direct basis for punishment). */
export const INVEST_NOTICE = '供招商决策参考，不作为失信惩戒的直接依据';

const grade = z.enum(['A', 'B', 'C', 'D', 'E']);
/** Why the officer looks: recorded in the audit trail with who and which target. */
const purpose = safeText().trim().max(200, '查询事由不超过 200 字').optional();
const int = (min: number, max: number, message: string) =>
  z.coerce.number().int(message).min(min, message).max(max, message);
const amount = z.coerce.number().finite().min(0, '金额不能为负').max(1e15, '金额超出范围').optional();

// ---- searchEntities ----------------------------------------------------------------------------

export const investSearchQuery = z.object({
  q: safeText({ error: '请输入统一社会信用代码或名称' })
    .trim()
    .min(1, '请输入统一社会信用代码或名称')
    .max(100, '查询内容不超过 100 字'),
  limit: int(1, 50, '条数应为 1 到 50').default(20),
  purpose,
});

export const entityMatchSchema = z.object({
  field: z.enum(['uscc', 'name', 'former_name']),
  kind: z.enum(['exact', 'prefix', 'contains']),
  /** In words, e.g. 曾用名包含“北疆”. */
  reason: z.string(),
});

export const entitySearchResultSchema = z.object({
  query: z.object({
    q: z.string(),
    /** When the query is shaped like a USCC: its check. A failed checksum is flagged, never refused. */
    uscc: z.object({ uscc: z.string(), checksumOk: z.boolean(), note: z.string().nullable() }).nullable(),
  }),
  items: z.array(
    z.object({
      entityId: z.number().int(),
      uscc: z.string(),
      /** false: the code fails its check character and needs a manual check (GB 32100-2015). */
      usccChecksumOk: z.boolean(),
      name: z.string(),
      formerNames: z.array(z.string()),
      status: z.string(),
      industryCode: z.string(),
      regionCode: z.string(),
      grade: grade.nullable(),
      score: z.number().int().nullable(),
      /** Higher is better: the best match's weight. */
      rank: z.number().int(),
      matches: z.array(entityMatchSchema),
    }),
  ),
});
export type EntitySearchResult = z.infer<typeof entitySearchResultSchema>;

// ---- getOwnershipGraph -------------------------------------------------------------------------

export const ownershipQuery = z.object({
  depth: int(1, 20, '穿透层级应为 1 到 20').default(10),
  purpose,
});

const nodeKind = z.enum(['entity', 'person', 'external']);

export const ownershipNodeSchema = z.object({
  /** `e<entityId>`, `p<personId>`, or `x<shareholderId>` for a holder known only by name or an unregistered USCC. */
  key: z.string(),
  kind: nodeKind,
  name: z.string(),
  entityId: z.number().int().nullable(),
  uscc: z.string().nullable(),
  /** Persons only, and only masked (PIPL Art. 28). */
  idNumberMasked: z.string().nullable(),
  status: z.string().nullable(),
  grade: grade.nullable(),
  score: z.number().int().nullable(),
  /** Holding edges between the target and this node on the shortest route. */
  level: z.number().int(),
});

const pathEdgeSchema = z.object({ from: z.string(), to: z.string(), share: z.number() });
const pathSchema = z.object({ edges: z.array(pathEdgeSchema), share: z.number() });

export const ownershipFlagSchema = z.object({
  code: z.enum(['actual_controller', 'beneficial_owner']),
  label: z.string(),
  reason: z.string(),
  paths: z.array(pathSchema),
});

export const ownershipGraphSchema = z.object({
  target: ownershipNodeSchema,
  asOf: z.string(),
  depth: z.number().int(),
  nodes: z.array(ownershipNodeSchema),
  /** `from` holds `share` (0..1) of `to`. */
  edges: z.array(pathEdgeSchema),
  /** Natural persons first, then end-point entities; cumulative shares over all paths, cycles included. */
  holders: z.array(
    z.object({
      key: z.string(),
      kind: nodeKind,
      name: z.string(),
      idNumberMasked: z.string().nullable(),
      share: z.number(),
      directShare: z.number(),
      viaCycle: z.boolean(),
      paths: z.array(pathSchema),
      flags: z.array(ownershipFlagSchema),
    }),
  ),
  /** Of the target: shares no listed holder covers; still moving at the depth limit; caught in a closed cross-holding. */
  unknown: z.number(),
  truncated: z.number(),
  trapped: z.number(),
  /** Companies whose listed holdings summed above 100% (scaled down to 100%). */
  overSubscribed: z.array(z.string()),
  notice: z.string(),
});
export type OwnershipGraph = z.infer<typeof ownershipGraphSchema>;

// ---- getOutboundInvestments --------------------------------------------------------------------

export const investmentsQuery = z.object({
  depth: int(1, 10, '层级应为 1 到 10').default(3),
  purpose,
});

export const outboundInvestmentsSchema = z.object({
  entityId: z.number().int(),
  uscc: z.string(),
  name: z.string(),
  depth: z.number().int(),
  items: z.array(
    z.object({
      level: z.number().int(),
      investorUscc: z.string(),
      investeeUscc: z.string(),
      investeeName: z.string(),
      /** Registered here: then status, grade and score are known. */
      entityId: z.number().int().nullable(),
      ratio: z.number(),
      amount: z.number(),
      status: z.string().nullable(),
      grade: grade.nullable(),
      score: z.number().int().nullable(),
    }),
  ),
  notice: z.string(),
});
export type OutboundInvestments = z.infer<typeof outboundInvestmentsSchema>;

// ---- screenEntities ----------------------------------------------------------------------------

const bool = (dflt: boolean) =>
  z
    .enum(['true', 'false'], { error: '应为 true 或 false' })
    .default(dflt ? 'true' : 'false')
    .transform((v) => v === 'true');

export const screenQuery = z.object({
  /** An industrial chain's code (listIndustryChains). */
  chain: z
    .string()
    .regex(/^[a-z_]{1,32}$/, '产业链代码无效')
    .optional(),
  industryCode: z
    .string()
    .regex(/^[A-T]\d{0,4}$/, '行业代码应符合 GB/T 4754')
    .optional(),
  regionCode: z
    .string()
    .regex(/^\d{2,6}$/, '区划代码应为 2 到 6 位数字')
    .optional(),
  /** A set of grades, e.g. `A,B`. */
  grades: z
    .string()
    .regex(/^[A-E](,[A-E]){0,4}$/, '等级应为 A 到 E，以逗号分隔')
    .optional()
    .transform((v) => (v ? [...new Set(v.split(','))] : undefined)),
  /** Credit gate: the lowest grade admitted (default B). */
  minGrade: grade.default('B'),
  /** Credit gate: no active 严重失信主体名单 listing within its publicity window (default on). */
  creditGate: bool(true),
  minScore: int(0, 1000, '分数应为 0 到 1000').optional(),
  maxScore: int(0, 1000, '分数应为 0 到 1000').optional(),
  minRegisteredCapital: amount,
  maxRegisteredCapital: amount,
  minPaidInCapital: amount,
  maxPaidInCapital: amount,
  minAgeYears: int(0, 200, '年限应为 0 到 200').optional(),
  maxAgeYears: int(0, 200, '年限应为 0 到 200').optional(),
  minHeadcount: int(0, 10_000_000, '参保人数超出范围').optional(),
  maxHeadcount: int(0, 10_000_000, '参保人数超出范围').optional(),
  /** The `nextCursor` of the previous page. */
  cursor: z
    .string()
    .regex(/^\d{1,4}\.[1-9]\d{0,9}$/, '分页游标无效')
    .optional(),
  limit: int(1, 100, '条数应为 1 到 100').default(20),
  purpose,
});
export type ScreenQuery = z.infer<typeof screenQuery>;

export const screenResultSchema = z.object({
  items: z.array(
    z.object({
      entityId: z.number().int(),
      uscc: z.string(),
      name: z.string(),
      status: z.string(),
      industryCode: z.string(),
      regionCode: z.string(),
      establishedOn: z.string(),
      registeredCapital: z.number(),
      paidInCapital: z.number(),
      grade,
      score: z.number().int(),
      /** The key chains the entity's industry belongs to. */
      chains: z.array(z.string()),
    }),
  ),
  /** Pass as `cursor` for the next page; null on the last. Pages are by score (high first), then id. */
  nextCursor: z.string().nullable(),
  notice: z.string(),
});
export type ScreenResult = z.infer<typeof screenResultSchema>;

export const industryChainsSchema = z.object({
  items: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      prefixes: z.array(z.string()),
      updatedAt: z.string(),
      updatedBy: z.string(),
    }),
  ),
});
