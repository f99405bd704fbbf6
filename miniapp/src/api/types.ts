import type {
  ApplicationKind,
  ApplicationStatus,
  CreateGoodInfoReport,
  CreateObjection,
  CreateRepairApplication,
  Effect,
  EvidenceFileView,
  GoodInfoReportView,
  Grade,
  GroupResult,
  IndicatorResult,
  ObjectionView,
  RecordFlag,
  RepairApplicationView,
  Binding,
  Me,
  MyXinyiPlus,
  PersonalDataExport,
  Resubmit,
  ResubmitRepair,
  UnbindEnterpriseResult,
  UserMessage,
  UserMessageList,
  WithdrawPrivacyConsentResult,
} from '@heihe/shared';

/**
 * Response shapes of the API as the mini program reads them. Every import from @heihe/shared here
 * is type-only (erased at build; see miniapp/README.md, "Imports from @heihe/shared").
 */

export type {
  ApplicationKind,
  ApplicationStatus,
  Binding,
  CreateGoodInfoReport,
  CreateObjection,
  CreateRepairApplication,
  EvidenceFileView,
  GoodInfoReportView,
  Grade,
  ObjectionView,
  RecordFlag,
  Me,
  MyXinyiPlus,
  PersonalDataExport,
  RepairApplicationView,
  Resubmit,
  ResubmitRepair,
  UnbindEnterpriseResult,
  UserMessage,
  UserMessageList,
  WithdrawPrivacyConsentResult,
};

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
  user: SessionUser & { privacyConsentRequired?: boolean; privacyPolicyVersion?: string };
}

export interface AuthOptions {
  demoMode: boolean;
  /** Demo mode: the fake WeChat's POST /__fake/login-code, which the H5 build calls for a code. */
  demoLoginCodeUrl: string | null;
  faceVerification: boolean;
  privacyPolicyVersion: string;
}

export interface PrivacyConsent {
  version: string | null;
  consentedAt: string | null;
  currentVersion: string;
  upToDate: boolean;
}

export interface IdentityElements {
  uscc: string;
  name: string;
  idNumber: string;
}

export interface FaceVerificationStart {
  verifyId: string;
  verifyToken: string;
  expiresIn: number;
}

export type GroupScore = Pick<GroupResult, 'code' | 'name' | 'max' | 'points'>;

/** One explained line: recordId is null for the rule's own lines (base, tier, cap, floor). */
export type IndicatorEffect = Effect;

export type IndicatorScore = Pick<IndicatorResult, 'code' | 'group' | 'name' | 'max' | 'points' | 'effects'> &
  Partial<Pick<IndicatorResult, 'direction'>>;

/** A record as the evaluation lists it: the engine's flag plus what the user needs to recognise it. */
export interface EvaluationRecord extends RecordFlag {
  occurredOn: string;
  summary: string | null;
  severity: string | null;
  category: string | null;
  /** The what-if estimate uses them too (packages/credit/what-if.ts). */
  amount?: number | null;
  grade?: string | null;
  validFrom?: string;
  /** The end of the record's publicity window (公示至), null when open-ended. */
  validTo?: string | null;
  /** The last day the record is published and counts (公示至), null when open-ended. */
  publicUntil?: string | null;
  /** 决定机关, 决定文书号, 处罚内容, 处罚依据, as the source delivered them. */
  authority?: string | null;
  documentNo?: string | null;
  content?: string | null;
  legalBasis?: string | null;
  /** The objection or repair in progress about this record: no second application is offered. */
  openApplication?: OpenApplication | null;
}

export interface OpenApplication {
  kind: 'objection' | 'repair';
  id: number;
  status: 'submitted' | 'accepted' | 'returned';
  statusLabel: string;
}

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
  /** One per record version the engine read, in (recordId, version) order. */
  records?: EvaluationRecord[];
}

export interface EvaluationSummary {
  evaluationId?: string;
  asOf: string;
  total: number;
  grade: Grade;
  modelVersion: number;
  trigger?: string;
  /** Points moved since the evaluation before it; null for the first. */
  delta?: number | null;
  modelChanged?: boolean;
  /** The records whose points moved since the evaluation before it. */
  changes?: EvaluationChange[];
}

export interface EvaluationChange {
  recordId: number;
  kind: string;
  kindLabel: string;
  summary: string | null;
  occurredOn: string;
  points: number;
}

export interface EvaluationHistory {
  items: EvaluationSummary[];
}

export interface RepairEligibility {
  eligible: boolean;
  reason: 'not_repairable' | 'not_active' | 'too_early' | 'no_longer_counts' | null;
  possibleFrom: string | null;
  message: string | null;
}

export interface SubscribeTemplates {
  decision: string;
  grade: string;
}

/** Any of the three applications, as "my applications" lists them. */
export type AnyApplication =
  | ({ kind: 'objection' } & ObjectionView)
  | ({ kind: 'good_info' } & GoodInfoReportView)
  | ({ kind: 'repair' } & RepairApplicationView);
