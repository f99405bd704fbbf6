import type { RecordKind } from '../records';

export const RECORD_KIND_LABELS: Record<RecordKind, string> = {
  registration: '登记信息',
  annual_report: '年度报告',
  penalty: '行政处罚',
  abnormal_listing: '经营异常名录',
  dishonesty_listing: '严重失信主体名单',
  enforcement: '司法执行',
  arrears: '欠税欠费',
  loan_default: '融资违约',
  tax_grade: '纳税信用等级',
  tax_paid: '纳税额',
  social_insurance: '社会保险',
  honour: '荣誉表彰',
  welfare: '公益与就业',
  licence: '行政许可',
  safety_violation: '安全生产、环保与质量违法',
  key_person_listing: '关键人员失信',
};

/** Chinese names of the categories in records.ts; an unknown category is shown as it is. */
export const CATEGORY_LABELS: Readonly<Record<string, string>> = {
  on_time: '按时公示',
  late: '逾期公示',
  executed: '被执行人',
  dishonest_executed: '失信被执行人',
  tax: '欠税',
  utility: '拖欠公共事业费用',
  overdue: '贷款逾期',
  evasion: '金融逃废债',
  normal: '正常缴纳',
  arrears: '欠缴',
  national: '国家级',
  provincial: '省级',
  city: '市级',
  charity: '公益慈善',
  volunteering: '志愿服务',
  employment: '就业帮扶',
  contract: '守合同重信用',
};

export function categoryLabel(category: string): string {
  return CATEGORY_LABELS[category] ?? category;
}

/** Amounts in CNY read better in 万 when they are whole multiples of 10 000. */
export function formatAmount(value: number, unit: string): string {
  if (unit === '元' && value !== 0 && value % 10_000 === 0) return `${value / 10_000}万元`;
  return `${value}${unit}`;
}
