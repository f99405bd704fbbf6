import { compileModel, type CompiledModel } from '@heihe/shared/dist/scoring/engine';
import { gradeOf, type Grade } from '@heihe/shared/dist/scoring/grades';
import { DEFAULT_MODEL_V1 } from '@heihe/shared/dist/scoring/model';
import { whatIf } from '@heihe/shared/dist/scoring/what-if';
import type { CreditFact, RecordKind, RecordStatus, Severity } from '@heihe/shared';
import type { EntityEvaluation, EvaluationRecord } from '@/api/types';
import { formatDateCst } from '@/utils/format';

/**
 * "What if this record were repaired", computed on the phone with the shared engine (deep
 * imports: this file lives in the credit subpackage, so the engine and zod load with it and
 * never count toward the main package).
 *
 * The engine runs twice on the records of the evaluation response, with and without the repair,
 * and only the difference per indicator is applied to the real, server-computed points. Records
 * the server did not count stay out. The model is the one this build carries (v1), or the
 * published definition read from the API for a newer version. The result is always labelled an
 * estimate: the server's re-score after an approved repair is the one that counts.
 */

export interface RepairEstimate {
  totalBefore: number;
  totalAfter: number;
  delta: number;
  gradeBefore: Grade;
  gradeAfter: Grade;
  modelVersion: number;
}

/** The models this build carries, by version; a newer one is read from the API (getPublishedModel). */
const MODELS = new Map<number, unknown>([[DEFAULT_MODEL_V1.version, DEFAULT_MODEL_V1]]);
const compiled = new Map<number, CompiledModel>();

export function carriesModel(version: number): boolean {
  return MODELS.has(version);
}

function modelFor(version: number, fetched?: unknown): CompiledModel | null {
  const cached = compiled.get(version);
  if (cached) return cached;
  const definition = MODELS.get(version) ?? fetched;
  if (definition === undefined) return null;
  const model = compileModel(definition);
  compiled.set(version, model);
  return model;
}

function factOf(record: EvaluationRecord): CreditFact {
  return {
    recordId: record.recordId,
    version: record.version,
    kind: record.kind as RecordKind,
    status: record.status as RecordStatus,
    category: record.category,
    severity: record.severity as Severity | null,
    amount: record.amount ?? null,
    grade: record.grade ?? null,
    occurredOn: record.occurredOn,
    validFrom: record.validFrom ?? record.occurredOn,
    validTo: record.validTo ?? null,
  };
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

export type EstimateResult =
  | { kind: 'estimate'; estimate: RepairEstimate }
  /** The record moves no points now: repairing it changes nothing. */
  | { kind: 'no_effect' }
  /** The evaluation's model version is neither carried nor readable now. */
  | { kind: 'unavailable' };

/** The grade cut-offs of the evaluation's model, or null when the model is not at hand. */
export function modelCutoffs(version: number, definition?: unknown): CompiledModel['cutoffs'] | null {
  return modelFor(version, definition)?.cutoffs ?? null;
}

export function estimateRepair(evaluation: EntityEvaluation, recordId: number, definition?: unknown): EstimateResult {
  const model = modelFor(evaluation.modelVersion, definition);
  if (model === null) return { kind: 'unavailable' };
  const facts = (evaluation.records ?? []).filter((r) => r.counts).map(factOf);
  if (!facts.some((f) => f.recordId === recordId)) return { kind: 'no_effect' };

  const { diff } = whatIf(model, facts, formatDateCst(evaluation.asOf), { repair: recordId });
  if (diff.indicators.length === 0) return { kind: 'no_effect' };

  const real = new Map(evaluation.indicators.map((i) => [i.code, i]));
  const groupGain = new Map<string, number>();
  for (const change of diff.indicators) {
    const indicator = real.get(change.code);
    if (!indicator) continue;
    const after = clamp(indicator.points + change.delta, 0, indicator.max);
    groupGain.set(indicator.group, (groupGain.get(indicator.group) ?? 0) + after - indicator.points);
  }
  let totalAfter = 0;
  for (const group of evaluation.groups) {
    totalAfter += clamp(group.points + (groupGain.get(group.code) ?? 0), 0, group.max);
  }
  const delta = totalAfter - evaluation.total;
  if (delta === 0) return { kind: 'no_effect' };
  return {
    kind: 'estimate',
    estimate: {
      totalBefore: evaluation.total,
      totalAfter,
      delta,
      gradeBefore: evaluation.grade,
      gradeAfter: gradeOf(totalAfter, model.cutoffs),
      modelVersion: evaluation.modelVersion,
    },
  };
}
