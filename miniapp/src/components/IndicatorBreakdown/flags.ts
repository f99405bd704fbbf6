import type { IndicatorEffect, RecordFlag } from '@/api/types';
import { zh } from '@/i18n/zh';

export type FlagKey = keyof typeof zh.recordFlags;

/** What a user must see next to a record: under objection still counts; the others count zero. */
export function flagsOf(record: RecordFlag): FlagKey[] {
  const flags: FlagKey[] = [];
  if (record.underObjection || record.status === 'under_objection') flags.push('under_objection');
  for (const key of ['repaired', 'expired', 'revoked'] as const) {
    if (record.excluded === key || record.status === key) flags.push(key);
  }
  return flags;
}

const keyOf = (recordId: number, version: number) => `${recordId}:${version}`;

export interface FlagIndex {
  forEffect(effect: IndicatorEffect): FlagKey[];
  /** The record an effect is about, when the evaluation lists it. */
  recordOf(effect: IndicatorEffect): RecordFlag | undefined;
  /** Flagged records that moved no points, so no indicator line shows them. */
  notCounted: { record: RecordFlag; flags: FlagKey[] }[];
}

export function indexFlags(records: readonly RecordFlag[] = []): FlagIndex {
  const byRecord = new Map(records.map((r) => [keyOf(r.recordId, r.version), r]));
  return {
    forEffect(effect) {
      if (effect.recordId === null || effect.version === null) return [];
      const record = byRecord.get(keyOf(effect.recordId, effect.version));
      return record ? flagsOf(record) : [];
    },
    recordOf(effect) {
      if (effect.recordId === null || effect.version === null) return undefined;
      return byRecord.get(keyOf(effect.recordId, effect.version));
    },
    notCounted: records
      .filter((r) => !r.counts)
      .map((record) => ({ record, flags: flagsOf(record) }))
      .filter((entry) => entry.flags.length > 0),
  };
}
