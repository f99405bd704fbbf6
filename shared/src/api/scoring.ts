import { z } from 'zod';
import { idParamSchema, isoDateSchema, isStorableJson, safeText } from '../validation';

const grade = z.enum(['A', 'B', 'C', 'D', 'E']);
const effect = z.object({
  recordId: z.number().int().nullable(),
  version: z.number().int().nullable(),
  points: z.number().int(),
  reason: z.string(),
  note: z.string(),
});

export const entityIdParams = z.object({ entityId: idParamSchema('主体编号应为正整数') });

export const evaluationResponseSchema = z.object({
  evaluationId: z.string(),
  entityId: z.number().int(),
  uscc: z.string(),
  name: z.string(),
  modelVersion: z.number().int(),
  asOf: z.string(),
  trigger: z.string(),
  total: z.number().int(),
  grade,
  /** The stored numbers were reproduced from record history by the engine. */
  reproduced: z.boolean(),
  groups: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      max: z.number().int(),
      points: z.number().int(),
      effects: z.array(effect),
    }),
  ),
  indicators: z.array(
    z.object({
      code: z.string(),
      group: z.string(),
      name: z.string(),
      direction: z.enum(['+', '-']),
      max: z.number().int(),
      points: z.number().int(),
      effects: z.array(effect),
    }),
  ),
  records: z.array(
    z.object({
      recordId: z.number().int(),
      version: z.number().int(),
      kind: z.string(),
      status: z.string(),
      underObjection: z.boolean(),
      counts: z.boolean(),
      excluded: z.string().nullable(),
      occurredOn: z.string(),
      validFrom: z.string(),
      validTo: z.string().nullable(),
      summary: z.string().nullable(),
      severity: z.string().nullable(),
      category: z.string().nullable(),
      amount: z.number().nullable(),
      grade: z.string().nullable(),
      /** What 信用中国 shows of a record, as delivered (null where the source did not send it). */
      authority: z.string().nullable(),
      documentNo: z.string().nullable(),
      content: z.string().nullable(),
      legalBasis: z.string().nullable(),
      /**
       * The last day the record is published and counts (公示至): the model's maximum publicity
       * period for its severity, or its validTo, whichever ends first; null when open-ended.
       */
      publicUntil: z.string().nullable(),
      /**
       * The objection or repair application in progress about this record (submitted, accepted or
       * returned), read at request time: a second one would be refused.
       */
      openApplication: z
        .object({
          kind: z.enum(['objection', 'repair']),
          id: z.number().int(),
          status: z.enum(['submitted', 'accepted', 'returned']),
          statusLabel: z.string(),
        })
        .nullable(),
    }),
  ),
});
export type EvaluationResponse = z.infer<typeof evaluationResponseSchema>;

export const evaluationHistorySchema = z.object({
  items: z.array(
    z.object({
      evaluationId: z.string(),
      asOf: z.string(),
      total: z.number().int(),
      grade,
      modelVersion: z.number().int(),
      trigger: z.string(),
      /** Points moved since the evaluation before it; null for the first one. */
      delta: z.number().int().nullable(),
      /** Scored under another model version than the evaluation before it. */
      modelChanged: z.boolean(),
      /** The records whose points differ from the evaluation before it, most points moved first. */
      changes: z.array(
        z.object({
          recordId: z.number().int(),
          kind: z.string(),
          kindLabel: z.string(),
          summary: z.string().nullable(),
          occurredOn: z.string(),
          points: z.number().int(),
        }),
      ),
    }),
  ),
});

export const historyQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

export const gradeDistributionSchema = z.object({
  total: z.number().int(),
  byGrade: z.object({
    A: z.number().int(),
    B: z.number().int(),
    C: z.number().int(),
    D: z.number().int(),
    E: z.number().int(),
  }),
  unscored: z.number().int(),
});

export const distributionQuery = z.object({
  industryCode: z
    .string()
    .regex(/^[A-T]\d{0,4}$/, '行业代码应符合 GB/T 4754')
    .optional(),
  regionCode: z
    .string()
    .regex(/^\d{2,6}$/, '区划代码应为 2 到 6 位数字')
    .optional(),
});

export const cycleProgressSchema = z.object({
  id: z.number().int(),
  modelVersion: z.number().int(),
  asOf: z.string(),
  status: z.enum(['running', 'done']),
  trigger: z.string(),
  totalChunks: z.number().int(),
  doneChunks: z.number().int(),
  entitiesDone: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export const cycleIdParams = z.object({ cycleId: idParamSchema('评分批次编号应为正整数') });

export const modelVersionParams = z.object({ version: idParamSchema('模型版本应为正整数') });
export const modelDraftRequestSchema = z.object({
  name: safeText().min(1, '请填写模型名称').max(100),
  /** The model definition (validated in full on preview and publish; drafts may be incomplete). */
  definition: z.record(z.string(), z.unknown()).refine(isStorableJson, '模型定义不能包含空字符或无效的 Unicode 字符'),
});
export const publishModelRequestSchema = z.object({
  effectiveFrom: isoDateSchema,
});
export const storedModelSchema = z.object({
  version: z.number().int(),
  status: z.enum(['draft', 'published']),
  name: z.string(),
  definition: z.record(z.string(), z.unknown()),
  effectiveFrom: z.string().nullable(),
  publishedAt: z.string().nullable(),
  publishedBy: z.string().nullable(),
});
export const modelListSchema = z.object({ items: z.array(storedModelSchema) });

/** A published model as anyone may read it: the indicators and points behind every score. */
export const publishedModelSchema = z.object({
  version: z.number().int(),
  name: z.string(),
  effectiveFrom: z.string(),
  definition: z.record(z.string(), z.unknown()),
});

export const impactPreviewSchema = z.object({
  asOf: z.string(),
  baseModelVersion: z.number().int(),
  draftVersion: z.number().int(),
  entities: z.number().int(),
  before: gradeDistributionSchema.shape.byGrade,
  after: gradeDistributionSchema.shape.byGrade,
  changed: z.number().int(),
  /** Every entity counted once, by its grade under the model in force and under the draft (A→B …, A→A). */
  migrations: z.array(z.object({ from: grade, to: grade, count: z.number().int() })),
  /** The first entities whose grade changes (at most 200 of `changed`). */
  changes: z.array(
    z.object({
      entityId: z.number().int(),
      uscc: z.string(),
      name: z.string(),
      fromGrade: grade,
      toGrade: grade,
      fromTotal: z.number().int(),
      toTotal: z.number().int(),
    }),
  ),
});
export type ImpactPreview = z.infer<typeof impactPreviewSchema>;

export const publishResultSchema = z.object({ model: storedModelSchema, cycle: cycleProgressSchema.nullable() });
