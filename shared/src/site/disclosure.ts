import type { RecordKind } from '../records';
import { exclusionOf, reportSections, type ReportRecord, type ReportRecordInput } from '../report/sections';

/**
 * What the public site discloses of an entity's records (信用信息公示): administrative penalties
 * and the two listings, within their publicity window. The repair rules decide as they do for the
 * credit report (国家发展改革委令第36号): a repaired record is no longer published, neither is one
 * whose window ended, and a record revoked on an upheld objection never was a fact — the report's
 * own `exclusionOf` applies, so the site and the report cannot disagree.
 */
export const PUBLIC_RECORD_KINDS = [
  'penalty',
  'dishonesty_listing',
  'abnormal_listing',
] as const satisfies readonly RecordKind[];

/** Records under public disclosure on `today`, newest first, marked as the report marks them. */
export function publicRecords(records: readonly ReportRecordInput[], today: string): ReportRecord[] {
  const kinds = new Set<RecordKind>(PUBLIC_RECORD_KINDS);
  const shown = records.filter((r) => kinds.has(r.kind) && exclusionOf(r, today) === null);
  const s = reportSections(shown, today);
  return [...s.serious_dishonesty, ...s.abnormal_operation, ...s.administrative];
}

/**
 * Negative records (失信或负面信息) for a typical case's check and automatic withdrawal. The
 * trigger that queues `record.negative` (record_negative_to_outbox) names the same kinds.
 */
export const NEGATIVE_RECORD_KINDS = [
  'penalty',
  'abnormal_listing',
  'dishonesty_listing',
  'enforcement',
  'arrears',
  'loan_default',
  'safety_violation',
  'key_person_listing',
] as const satisfies readonly RecordKind[];

/**
 * A person's name as the public site shows it (a legal representative): the first and last
 * characters of three or more (张*明, 欧**娜), the first of two (张*), nothing of one.
 */
export function maskPublicName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '*'.repeat(chars.length);
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
