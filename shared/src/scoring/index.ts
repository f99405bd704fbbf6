export { GRADES, gradeDistribution, gradeOf } from './grades';
export type { Grade, GradeCutoffs, GradeDistribution } from './grades';
export { CATEGORY_LABELS, RECORD_KIND_LABELS } from './labels';
export { DEFAULT_MODEL_V1, MODEL_TOTAL, modelDefinitionSchema, parseModel, ruleSchema, validateModel } from './model';
export type {
  BonusRule,
  CategoricalRule,
  DecayPeriods,
  DeductionRule,
  DeductionSource,
  GroupDefinition,
  IndicatorDefinition,
  ModelDefinition,
  ModelIssue,
  PresenceRule,
  Rule,
  RuleKind,
  Tier,
  TieredRule,
} from './model';
export { compileModel, evaluate, score } from './engine';
export type {
  CompiledModel,
  Effect,
  EffectReason,
  EvaluateOptions,
  Evaluation,
  ExclusionReason,
  GroupResult,
  IndicatorResult,
  RecordFlag,
  Score,
} from './engine';
export { diffEvaluations, whatIf } from './what-if';
export type { EvaluationDiff, IndicatorChange, WhatIfChange, WhatIfResult } from './what-if';
