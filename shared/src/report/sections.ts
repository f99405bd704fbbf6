import { riskVerdict } from '../invest/risk';
import type { RecordKind, RecordStatus, Severity } from '../records';
import { categoryLabel, RECORD_KIND_LABELS } from '../scoring/labels';

/**
 * What the public credit report (公共信用信息报告) shows of an entity's records, after the national
 * report's structure. The rules of 《失信行为纠正后的信用信息修复管理办法》(国家发展改革委令第36号,
 * in force 2026-04-01) decide what is left out: a repaired record (已修复) is no longer published, a
 * record whose publicity window has ended is no longer published, and a record revoked on an
 * upheld objection never was a fact. Records under objection stay, marked 异议处理中; corrected
 * records stay, marked 已更正.
 *
 * A negative record's publicity window is the one the rest of the system uses (shared/src/invest/
 * risk.ts): counted from the day it occurred, a penalty by its severity (minor 3, general 12,
 * serious 36 months), a 严重失信 listing 36 months, other listings while in force. A safety,
 * environment or quality violation is a penalty for this purpose. Other records are shown while
 * in force (validFrom <= today < validTo).
 */

export const REPORT_SECTIONS = [
  'administrative', // 行政管理信息: licences, penalties, tax credit grades
  'honesty', // 诚实守信: honours and good information
  'serious_dishonesty', // 严重失信主体名单
  'abnormal_operation', // 经营异常名录
  'judicial', // 司法: enforcement
  'other', // 其他: arrears and loan defaults
] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

export const REPORT_SECTION_TITLES: Record<ReportSection, string> = {
  administrative: '行政管理信息',
  honesty: '诚实守信信息',
  serious_dishonesty: '严重失信主体名单信息',
  abnormal_operation: '经营异常名录信息',
  judicial: '司法信息',
  other: '其他信用信息',
};

/** Which section each kind is reported in; kinds absent here are registration data, not records. */
export const REPORT_SECTION_OF: Partial<Record<RecordKind, ReportSection>> = {
  licence: 'administrative',
  penalty: 'administrative',
  safety_violation: 'administrative',
  tax_grade: 'administrative',
  honour: 'honesty',
  welfare: 'honesty',
  dishonesty_listing: 'serious_dishonesty',
  key_person_listing: 'serious_dishonesty',
  abnormal_listing: 'abnormal_operation',
  enforcement: 'judicial',
  arrears: 'other',
  loan_default: 'other',
};

export type ReportMark = '异议处理中' | '已更正';

/** One record's current version, as the report reads it. Dates are China calendar dates. */
export interface ReportRecordInput {
  recordId: number;
  kind: RecordKind;
  status: RecordStatus;
  category: string | null;
  severity: Severity | null;
  grade: string | null;
  /** The record's number: for a tax credit grade, the year it rates. */
  amount?: number | null;
  occurredOn: string;
  validFrom: string;
  validTo: string | null;
  summary: string | null;
  documentNo: string | null;
  authority: string | null;
  /** An upheld objection corrected this record (a version written for `objection_upheld`). */
  corrected: boolean;
}

export interface ReportRecord {
  recordId: number;
  kind: RecordKind;
  kindLabel: string;
  /** 类别: the category's label, the severity, or the tax grade; null when none applies. */
  detail: string | null;
  occurredOn: string;
  /** The last day of its publicity window (exclusive end), when it has one. */
  validTo: string | null;
  summary: string | null;
  documentNo: string | null;
  authority: string | null;
  marks: ReportMark[];
}

export type ReportSections = Record<ReportSection, ReportRecord[]>;

export type ReportExclusion = 'repaired' | 'revoked' | 'window_ended' | 'not_yet_public' | 'not_a_record';

/** Why a record is not in the report, or null when it is. */
export function exclusionOf(r: ReportRecordInput, today: string): ReportExclusion | null {
  return placement(r, today).excluded;
}

/** Whether the record is shown on `today`, and until when its publicity window runs. */
function placement(
  r: ReportRecordInput,
  today: string,
): { excluded: ReportExclusion | null; windowEnds: string | null } {
  const out = (excluded: ReportExclusion | null, windowEnds: string | null = null) => ({ excluded, windowEnds });
  if (!REPORT_SECTION_OF[r.kind]) return out('not_a_record');
  if (r.status === 'repaired') return out('repaired');
  if (r.status === 'revoked') return out('revoked');
  if (r.status === 'expired') return out('window_ended');
  if (r.validFrom > today) return out('not_yet_public');
  if (r.validTo !== null && r.validTo <= today) return out('window_ended');
  const v = riskVerdict({ ...r, kind: r.kind === 'safety_violation' ? 'penalty' : r.kind }, today);
  if (v.counts) return out(null, v.windowEnds ?? r.validTo);
  if (v.category) return out(v.excluded === 'expired' ? 'window_ended' : 'not_yet_public');
  return out(null, r.validTo);
}

/** What a record says when its source sent no summary. */
function fallbackSummary(r: ReportRecordInput): string | null {
  if (r.kind === 'tax_grade' && r.grade)
    return r.amount ? `${r.amount} 年度纳税信用等级评价为 ${r.grade} 级` : `纳税信用等级评价为 ${r.grade} 级`;
  return null;
}

const SEVERITY_NAMES: Record<Severity, string> = { minor: '轻微', general: '一般', serious: '严重' };

function detailOf(r: ReportRecordInput): string | null {
  if (r.kind === 'tax_grade') return r.grade ? `${r.grade} 级` : null;
  const parts: string[] = [];
  if (r.category) parts.push(categoryLabel(r.category));
  if (r.severity) parts.push(`${SEVERITY_NAMES[r.severity]}`);
  return parts.length ? parts.join('，') : null;
}

/**
 * The report's record sections as of `today`: excluded records dropped, the rest marked, each
 * section newest first (then by record id, so the same data lays out the same way).
 */
export function reportSections(records: readonly ReportRecordInput[], today: string): ReportSections {
  const out = Object.fromEntries(REPORT_SECTIONS.map((s) => [s, [] as ReportRecord[]])) as ReportSections;
  for (const r of records) {
    const { excluded, windowEnds } = placement(r, today);
    if (excluded) continue;
    const marks: ReportMark[] = [];
    if (r.status === 'under_objection') marks.push('异议处理中');
    if (r.corrected) marks.push('已更正');
    out[REPORT_SECTION_OF[r.kind]!].push({
      recordId: r.recordId,
      kind: r.kind,
      kindLabel: RECORD_KIND_LABELS[r.kind],
      detail: detailOf(r),
      occurredOn: r.occurredOn,
      validTo: windowEnds,
      summary: r.summary ?? fallbackSummary(r),
      documentNo: r.documentNo,
      authority: r.authority,
      marks,
    });
  }
  for (const s of REPORT_SECTIONS)
    out[s].sort((a, b) =>
      a.occurredOn === b.occurredOn ? a.recordId - b.recordId : a.occurredOn < b.occurredOn ? 1 : -1,
    );
  return out;
}

/** Counts per section, for the report's summary and the verification page. */
export function sectionCounts(sections: ReportSections): Record<ReportSection, number> {
  return Object.fromEntries(REPORT_SECTIONS.map((s) => [s, sections[s].length])) as Record<ReportSection, number>;
}
