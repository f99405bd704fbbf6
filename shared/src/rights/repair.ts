import type { RecordKind, RecordStatus, Severity } from '../records';
import { SEVERITY_LABELS } from '../records';
import type { DecayPeriods } from '../scoring';
import { addMonths, isoDate, isoDay, isoDayOfMonth, isoMonth, isoYear } from '../scoring/dates';

/**
 * Which records can be repaired (信用修复): administrative penalties (行政处罚, including safety,
 * environmental and quality penalties) and listings (名单). Enforcement cases, arrears and loan
 * defaults end when they are settled, not by repair; a key person's listing is repaired by the
 * person, not the enterprise.
 */
export const REPAIRABLE_KINDS = ['penalty', 'safety_violation', 'abnormal_listing', 'dishonesty_listing'] as const;
export type RepairableKind = (typeof REPAIRABLE_KINDS)[number];

/**
 * The publicity class of a record delivered without a severity. Removal from the abnormal-operation
 * list may be requested as soon as the cause is corrected (no minimum period, like 轻微); the
 * serious-dishonesty list has the serious minimum of one year; a penalty of unknown class is
 * treated as 一般, the common case.
 */
export const DEFAULT_REPAIR_SEVERITY: Record<RepairableKind, Severity> = {
  penalty: 'general',
  safety_violation: 'general',
  abnormal_listing: 'minor',
  dishonesty_listing: 'serious',
};

export interface RepairCandidate {
  kind: RecordKind;
  status: RecordStatus;
  severity: Severity | null;
  occurredOn: string;
  validTo: string | null;
}

export type RepairRefusal = 'not_repairable' | 'not_active' | 'too_early' | 'no_longer_counts';

export type RepairEligibility =
  | {
      eligible: true;
      severity: Severity;
      minimumPeriodEnds: string;
      possibleFrom: string;
      maximumPeriodEnds: string | null;
    }
  | {
      eligible: false;
      reason: RepairRefusal;
      /** The first day a repair may be requested, when waiting is what it takes. */
      possibleFrom: string | null;
      message: string;
    };

export function isRepairableKind(kind: RecordKind): kind is RepairableKind {
  return (REPAIRABLE_KINDS as readonly string[]).includes(kind);
}

/**
 * Whether a repair may be requested on `today` (China date), under the decay periods of the model in
 * force (SCORING.md, 国办发〔2025〕22号): only after the minimum publicity period, that is from the day
 * after occurredOn + fullMonths — the last day of full deduction — and only while the record
 * still counts (before occurredOn + zeroMonths and before its validTo). A record delivered without
 * a severity takes the class of DEFAULT_REPAIR_SEVERITY for its minimum period.
 */
export function repairEligibility(record: RepairCandidate, decay: DecayPeriods, today: string): RepairEligibility {
  if (!isRepairableKind(record.kind))
    return {
      eligible: false,
      reason: 'not_repairable',
      possibleFrom: null,
      message: '只有行政处罚和名单类记录可以申请信用修复',
    };
  if (record.status === 'repaired')
    return { eligible: false, reason: 'not_active', possibleFrom: null, message: '该记录已修复' };
  if (record.status === 'under_objection')
    return {
      eligible: false,
      reason: 'not_active',
      possibleFrom: null,
      message: '该记录异议处理中，请待异议办结后再申请修复',
    };
  if (record.status !== 'active')
    return {
      eligible: false,
      reason: 'not_active',
      possibleFrom: null,
      message: '该记录已撤销或已过公示期，不再计分，无需修复',
    };
  const day = isoDay(record.occurredOn);
  if (Number.isNaN(day)) throw new RangeError(`invalid occurredOn ${record.occurredOn}`);
  const severity = record.severity ?? DEFAULT_REPAIR_SEVERITY[record.kind];
  const y = isoYear(record.occurredOn);
  const m = isoMonth(record.occurredOn);
  const d = isoDayOfMonth(record.occurredOn);
  const fullEnd = addMonths(y, m, d, decay[severity].fullMonths);
  // The engine decays only records with a severity; one without counts in full while valid.
  const zeroDay = record.severity === null ? Infinity : addMonths(y, m, d, decay[severity].zeroMonths);
  const todayDay = isoDay(today);
  if (Number.isNaN(todayDay)) throw new RangeError(`invalid today ${today}`);
  const validToDay = record.validTo === null ? Infinity : isoDay(record.validTo);
  if (todayDay >= zeroDay || todayDay >= validToDay)
    return {
      eligible: false,
      reason: 'no_longer_counts',
      possibleFrom: null,
      message: '该记录已超过公示期，不再计分，无需修复',
    };
  const possibleFrom = isoDate(fullEnd + 1);
  if (todayDay <= fullEnd)
    return {
      eligible: false,
      reason: 'too_early',
      possibleFrom,
      message: `${SEVERITY_LABELS[severity]}失信信息的最短公示期至 ${isoDate(fullEnd)} 届满，${possibleFrom} 起可申请信用修复`,
    };
  return {
    eligible: true,
    severity,
    minimumPeriodEnds: isoDate(fullEnd),
    possibleFrom,
    maximumPeriodEnds: Number.isFinite(zeroDay) ? isoDate(zeroDay) : null,
  };
}
