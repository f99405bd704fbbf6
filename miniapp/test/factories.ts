import type { EntityEvaluation, EvaluationRecord, IndicatorEffect, IndicatorScore } from '@/api/types';

export function anEffect(overrides: Partial<IndicatorEffect> = {}): IndicatorEffect {
  return {
    recordId: 101,
    version: 1,
    points: -40,
    reason: 'deduction',
    note: '行政处罚（一般），扣 40 分',
    ...overrides,
  };
}

/** A record as the evaluation lists it (the engine's flag plus date, summary, severity, category). */
export function aRecordFlag(overrides: Partial<EvaluationRecord> = {}): EvaluationRecord {
  return {
    recordId: 101,
    version: 1,
    kind: 'penalty',
    status: 'active',
    underObjection: false,
    counts: true,
    excluded: null,
    occurredOn: '2025-03-10',
    summary: '黑市监罚〔2025〕12号',
    severity: 'general',
    category: null,
    ...overrides,
  };
}

export function anIndicator(overrides: Partial<IndicatorScore> = {}): IndicatorScore {
  return {
    code: 'O02',
    group: 'operation',
    name: '行政处罚',
    max: 150,
    points: 110,
    effects: [anEffect()],
    ...overrides,
  };
}

export function anEvaluation(overrides: Partial<EntityEvaluation> = {}): EntityEvaluation {
  return {
    entityId: 7,
    uscc: '91231100MA1B2C3D4E',
    name: '黑河市示例贸易有限公司',
    modelVersion: 1,
    asOf: '2025-05-30T16:30:00.000Z',
    total: 862,
    grade: 'A',
    groups: [
      { code: 'basic', name: '基本情况', max: 60, points: 52 },
      { code: 'operation', name: '经营状况', max: 790, points: 690 },
      { code: 'social', name: '社会责任', max: 150, points: 120 },
    ],
    indicators: [anIndicator()],
    records: [aRecordFlag()],
    ...overrides,
  };
}
