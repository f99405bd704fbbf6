/**
 * The record catalogue (SCORING.md): what the provincial platform delivers, as the scoring engine
 * sees it. Dates are ISO calendar dates (YYYY-MM-DD) in China Standard Time; the engine never
 * reads a clock.
 */
export const RECORD_KINDS = [
  'registration', // 登记: amount = paid-in capital (CNY), occurredOn = established date
  'annual_report', // 年报: amount = report year, category 'on_time' | 'late', occurredOn = filing date
  'penalty', // 行政处罚: severity
  'abnormal_listing', // 经营异常名录
  'dishonesty_listing', // 严重失信主体名单
  'enforcement', // category 'executed' 被执行人 | 'dishonest_executed' 失信被执行人
  'arrears', // category 'tax' 欠税 | 'utility' 拖欠公共事业费用
  'loan_default', // category 'overdue' 逾期 | 'evasion' 金融逃废债
  'tax_grade', // grade A | B | M | C | D, amount = year
  'tax_paid', // amount = CNY paid in the year, occurredOn = 31 Dec of that year
  'social_insurance', // amount = insured headcount, category 'normal' | 'arrears'
  'honour', // category 'national' | 'provincial' | 'city'
  'welfare', // 公益与就业: category 'charity' | 'volunteering' | 'employment' | 'contract'
  'licence', // 行政许可: informational, scores nothing
  'safety_violation', // 安全生产 / 环保 / 质量: severity
  'key_person_listing', // legal representative on 失信被执行人 or 严重失信 lists
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export const RECORD_STATUSES = ['active', 'under_objection', 'repaired', 'revoked', 'expired'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export const SEVERITIES = ['minor', 'general', 'serious'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RECORD_STATUS_LABELS: Record<RecordStatus, string> = {
  active: '有效',
  under_objection: '异议中',
  repaired: '已修复',
  revoked: '已撤销',
  expired: '已过公示期',
};

/** Why a record version exists, in words (credit_record_version.reason). */
export const RECORD_VERSION_REASON_LABELS: Record<string, string> = {
  delivery: '数据报送',
  objection_filed: '企业提出异议，标注异议中',
  objection_upheld: '异议成立，更正或撤销',
  objection_rejected: '异议不成立，恢复公示',
  objection_withdrawn: '企业撤回异议，恢复公示',
  repair_approved: '信用修复，不再计分',
  self_report_confirmed: '企业自主上报，经核实确认',
};

export const SEVERITY_LABELS: Record<Severity, string> = {
  minor: '轻微',
  general: '一般',
  serious: '严重',
};

/** One version of one credit record, as of some time T: the only input the engine scores. */
export interface CreditFact {
  recordId: number;
  version: number;
  kind: RecordKind;
  status: RecordStatus;
  category: string | null;
  severity: Severity | null;
  amount: number | null;
  grade: string | null;
  occurredOn: string;
  validFrom: string;
  validTo: string | null;
}
