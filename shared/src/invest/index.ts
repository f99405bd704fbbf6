export {
  ACTUAL_CONTROL_THRESHOLD,
  BENEFICIAL_OWNER_THRESHOLD,
  penetrate,
  type HolderKind,
  type Holding,
  type OwnershipFlag,
  type OwnershipFlagCode,
  type OwnershipPath,
  type PathEdge,
  type Penetration,
  type PenetrationOptions,
  type UltimateHolder,
} from './penetration';
export {
  RISK_CATEGORIES,
  RISK_KINDS,
  RISK_LABELS,
  RISK_WINDOW_MONTHS,
  riskCategoryOf,
  riskSummary,
  riskVerdict,
  type RiskCategory,
  type RiskFact,
  type RiskVerdict,
} from './risk';
export {
  DEFAULT_RED_FLAG_THRESHOLDS,
  RED_FLAG_CODES,
  RED_FLAG_LABELS,
  isDebtRound,
  redFlags,
  type RedFlag,
  type RedFlagCode,
  type RedFlagInput,
  type RedFlagThresholds,
} from './red-flags';
export {
  OWNERSHIP_VIEW_DEFAULTS,
  ownershipView,
  type OwnershipNodeKind,
  type OwnershipView,
  type OwnershipViewNode,
  type OwnershipViewOptions,
} from './ownership-view';
export { GBT4754_SECTIONS, industryPrefixProblem } from './industry';
