import type { Effect, Grade, GroupResult, IndicatorResult, RecordFlag } from '@heihe/shared';

/**
 * Response shapes of the API as the mini program reads them. Scoring shapes come from the
 * shared engine (type-only: see miniapp/README.md, "Imports from @heihe/shared").
 */

export type { Grade, RecordFlag };

export interface AuthTokens {
  accessToken: string;
  refreshToken: string;
}

export interface EnterpriseRef {
  entityId: number;
  uscc: string;
  name: string;
}

export interface SessionUser {
  id: number | string;
  enterprises: EnterpriseRef[];
}

export interface LoginResult extends AuthTokens {
  user: SessionUser;
}

export type GroupScore = Pick<GroupResult, 'code' | 'name' | 'max' | 'points'>;

/** One explained line: recordId is null for the rule's own lines (base, tier, cap, floor). */
export type IndicatorEffect = Effect;

export type IndicatorScore = Pick<IndicatorResult, 'code' | 'group' | 'name' | 'max' | 'points' | 'effects'>;

export interface EntityEvaluation {
  entityId: number;
  uscc: string;
  name: string;
  modelVersion: number;
  asOf: string;
  total: number;
  grade: Grade;
  groups: GroupScore[];
  indicators: IndicatorScore[];
  /** The engine's per-record flags (异议中, repaired, expired …), when the API includes them. */
  records?: RecordFlag[];
}

export interface EvaluationSummary {
  asOf: string;
  total: number;
  grade: Grade;
  modelVersion: number;
}

export interface EvaluationHistory {
  items: EvaluationSummary[];
}
