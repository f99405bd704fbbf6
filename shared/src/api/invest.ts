import { z } from 'zod';
import { idParamSchema, safeText } from '../validation';

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
  /**
   * When the stored penetration was computed (ADR 0022): a shareholder write since would have
   * deleted it, so it is the current one.
   */
  computedAt: z.string(),
  /** Ultimate holders in all; `holders` lists the largest and every flagged one. */
  holdersTotal: z.number().int(),
  /** Of the target, what the holders not listed hold together. */
  holdersOmittedShare: z.number(),
  /** Nodes and holding edges of the whole upstream set; `nodes` and `edges` are the part shown. */
  nodesTotal: z.number().int(),
  edgesTotal: z.number().int(),
  /** Every node to this level is shown, and every node on a listed evidence path. */
  treeDepth: z.number().int(),
  /** Entity nodes shown whose holders are not: open one by reading that entity's ownership. */
  collapsed: z.array(z.string()),
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

// ---- getKeyPeople ------------------------------------------------------------------------------

const riskCategory = z.enum([
  'serious_dishonesty',
  'dishonest_executed',
  'abnormal_operation',
  'penalty_serious',
  'penalty_general',
  'penalty_minor',
  'tax_arrears',
  'loan_default',
  'key_person_listing',
]);

/** Findings in their publicity window, counted per category (repaired and revoked records excluded). */
export const riskSummarySchema = z.object({
  total: z.number().int(),
  /** Of `total`: records under objection (counted, and marked). */
  underObjection: z.number().int(),
  byCategory: z.array(z.object({ category: riskCategory, label: z.string(), count: z.number().int() })),
});

const companySchema = z.object({
  entityId: z.number().int(),
  uscc: z.string(),
  name: z.string(),
  status: z.string(),
  grade: grade.nullable(),
  score: z.number().int().nullable(),
  risk: riskSummarySchema,
});

const personRole = z.enum(['legal_representative', 'director', 'supervisor', 'manager']);

export const keyPeopleQuery = z.object({ purpose });

export const keyPeopleSchema = z.object({
  entityId: z.number().int(),
  name: z.string(),
  asOf: z.string(),
  /** The target's legal representative, directors and supervisors, matched by keyed ID hash only. */
  persons: z.array(
    z.object({
      /** `p<personId>`, as in the ownership graph. */
      key: z.string(),
      name: z.string(),
      /** Masked only (PIPL Art. 28). */
      idNumberMasked: z.string(),
      roles: z.array(personRole),
      /** Posts in other entities (legal representative, director, supervisor, manager). */
      posts: z.array(companySchema.extend({ roles: z.array(personRole) })),
      /** Entities the person holds shares in (shareholder rows matched by keyed ID hash). */
      holdings: z.array(companySchema.extend({ ratio: z.number() })),
    }),
  ),
  notice: z.string(),
});
export type KeyPeople = z.infer<typeof keyPeopleSchema>;

// ---- scanRisks ---------------------------------------------------------------------------------

export const riskScanQuery = z.object({
  /** Hops from the target over holdings, investments and key persons' other companies. */
  radius: int(1, 3, '关联范围应为 1 到 3 层').default(2),
  purpose,
});

const relation = z.enum(['shareholder', 'investee', 'key_person']);

export const redFlagSchema = z.object({
  code: z.enum(['paid_in_low', 'young_holder', 'low_grade_related', 'financing_unregistered']),
  label: z.string(),
  reason: z.string(),
  threshold: z.object({ name: z.string(), value: z.number() }),
  observed: z.number(),
  evidence: z.array(z.string()),
});
export type RedFlagView = z.infer<typeof redFlagSchema>;

export const riskScanSchema = z.object({
  entityId: z.number().int(),
  name: z.string(),
  asOf: z.string(),
  radius: z.number().int(),
  /** The target (distance 0) and every entity within the radius, nearest first. */
  related: z.array(
    companySchema.extend({
      distance: z.number().int(),
      /** How it was first reached: from which entity, over which tie (and the person, for key_person). */
      via: z
        .object({ fromEntityId: z.number().int(), fromName: z.string(), relation, person: z.string().nullable() })
        .nullable(),
    }),
  ),
  /** Every record in its publicity window, graver first. */
  findings: z.array(
    z.object({
      entityId: z.number().int(),
      entityName: z.string(),
      distance: z.number().int(),
      category: riskCategory,
      label: z.string(),
      recordId: z.number().int(),
      version: z.number().int(),
      severity: z.enum(['minor', 'general', 'serious']).nullable(),
      underObjection: z.boolean(),
      occurredOn: z.string(),
      /** The end of the publicity window (exclusive), when the category has one. */
      windowEnds: z.string().nullable(),
      authority: z.string().nullable(),
      documentNo: z.string().nullable(),
      summary: z.string().nullable(),
    }),
  ),
  summary: riskSummarySchema,
  /** Records of a risk kind left out, by reason: repaired, revoked, expired (publicity over), not in force. */
  excluded: z.object({
    repaired: z.number().int(),
    revoked: z.number().int(),
    expired: z.number().int(),
    notInForce: z.number().int(),
  }),
  redFlags: z.array(redFlagSchema),
  /** The related set reached its cap; the farthest ring is incomplete. */
  truncated: z.boolean(),
  notice: z.string(),
});
export type RiskScan = z.infer<typeof riskScanSchema>;

// ---- runTargetCheck / getTargetCheck / listTargetChecks ----------------------------------------

export const runTargetCheckBody = z.object({
  entityId: z.number().int().min(1, '请选择核查对象').max(2_147_483_647, '主体编号无效'),
  /** Why: recorded with the check and in the audit trail. */
  purpose: safeText({ error: '请填写核查事由' }).trim().min(2, '请填写核查事由').max(200, '核查事由不超过 200 字'),
  depth: int(1, 20, '穿透层级应为 1 到 20').default(10),
  radius: int(1, 3, '关联范围应为 1 到 3 层').default(2),
});

export const targetCheckIdParams = z.object({ checkId: idParamSchema('核查编号应为正整数') });

export const targetCheckSummarySchema = z.object({
  checkId: z.number().int(),
  /** 核查编号, e.g. ZSHC-20261207-000012. */
  number: z.string(),
  entityId: z.number().int(),
  uscc: z.string(),
  name: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  purpose: z.string(),
  modelVersion: z.number().int().nullable(),
  grade: grade.nullable(),
  score: z.number().int().nullable(),
  /** Codes of every flag raised: ownership flags and red flags. */
  flags: z.array(z.string()),
  findings: z.number().int(),
});

export const targetCheckSchema = targetCheckSummarySchema.extend({
  asOf: z.string(),
  depth: z.number().int(),
  radius: z.number().int(),
  /** The evaluation at the as-of time, under the model in force. */
  evaluation: z
    .object({
      modelVersion: z.number().int(),
      total: z.number().int(),
      grade,
      groups: z.array(z.object({ code: z.string(), name: z.string(), max: z.number(), points: z.number() })),
      indicators: z.array(
        z.object({ code: z.string(), group: z.string(), name: z.string(), max: z.number(), points: z.number() }),
      ),
    })
    .nullable(),
  ownership: ownershipGraphSchema,
  investments: outboundInvestmentsSchema,
  people: keyPeopleSchema,
  risks: riskScanSchema,
  financings: z.array(
    z.object({ round: z.string(), amount: z.number(), occurredOn: z.string(), investors: z.string() }),
  ),
  notice: z.string(),
});
export type TargetCheck = z.infer<typeof targetCheckSchema>;

export const listTargetChecksQuery = z.object({
  entityId: z.coerce.number().int('主体编号无效').min(1, '主体编号无效').max(2_147_483_647, '主体编号无效').optional(),
  /** `checkId` of the last row of the previous page. */
  before: z.coerce.number().int('分页游标无效').min(1, '分页游标无效').max(2_147_483_647, '分页游标无效').optional(),
  limit: int(1, 100, '条数应为 1 到 100').default(20),
});

export const targetCheckListSchema = z.object({
  items: z.array(targetCheckSummarySchema),
  nextBefore: z.number().int().nullable(),
  notice: z.string(),
});
