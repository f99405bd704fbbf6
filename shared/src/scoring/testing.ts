import type { CreditFact } from '../records';
import type { Evaluation, IndicatorResult } from './engine';

/**
 * Test factories (not part of the public API). Each call takes the next recordId unless one is
 * given; validFrom follows occurredOn unless given.
 */
let nextRecordId = 1;

export function fact(overrides: Partial<CreditFact> = {}): CreditFact {
  const occurredOn = overrides.occurredOn ?? '2024-01-01';
  return {
    recordId: nextRecordId++,
    version: 1,
    kind: 'licence',
    status: 'active',
    category: null,
    severity: null,
    amount: null,
    grade: null,
    validTo: null,
    ...overrides,
    occurredOn,
    validFrom: overrides.validFrom ?? occurredOn,
  };
}

export const registration = (established: string, paidIn: number | null, overrides: Partial<CreditFact> = {}) =>
  fact({ kind: 'registration', occurredOn: established, amount: paidIn, ...overrides });

export const annualReport = (
  reportYear: number,
  category: 'on_time' | 'late',
  overrides: Partial<CreditFact> = {},
): CreditFact =>
  fact({ kind: 'annual_report', amount: reportYear, category, occurredOn: `${reportYear + 1}-05-20`, ...overrides });

export const penalty = (
  severity: CreditFact['severity'],
  occurredOn: string,
  overrides: Partial<CreditFact> = {},
): CreditFact => fact({ kind: 'penalty', severity, occurredOn, ...overrides });

export const safetyViolation = (
  severity: CreditFact['severity'],
  occurredOn: string,
  overrides: Partial<CreditFact> = {},
): CreditFact => fact({ kind: 'safety_violation', severity, occurredOn, ...overrides });

export const taxGrade = (grade: string, occurredOn: string, overrides: Partial<CreditFact> = {}): CreditFact =>
  fact({ kind: 'tax_grade', grade, occurredOn, amount: Number(occurredOn.slice(0, 4)), ...overrides });

export const taxPaid = (amount: number, year: number, overrides: Partial<CreditFact> = {}): CreditFact =>
  fact({ kind: 'tax_paid', amount, occurredOn: `${year}-12-31`, ...overrides });

export const socialInsurance = (
  headcount: number,
  category: 'normal' | 'arrears',
  occurredOn: string,
  overrides: Partial<CreditFact> = {},
): CreditFact => fact({ kind: 'social_insurance', amount: headcount, category, occurredOn, ...overrides });

export const honour = (
  level: 'national' | 'provincial' | 'city',
  occurredOn: string,
  overrides: Partial<CreditFact> = {},
): CreditFact => fact({ kind: 'honour', category: level, occurredOn, ...overrides });

export const welfare = (category: string, occurredOn: string, overrides: Partial<CreditFact> = {}): CreditFact =>
  fact({ kind: 'welfare', category, occurredOn, ...overrides });

export const listing = (
  kind: 'abnormal_listing' | 'dishonesty_listing' | 'key_person_listing',
  occurredOn: string,
  overrides: Partial<CreditFact> = {},
): CreditFact => fact({ kind, occurredOn, ...overrides });

export const categorised = (
  kind: 'enforcement' | 'arrears' | 'loan_default',
  category: string,
  occurredOn: string,
  overrides: Partial<CreditFact> = {},
): CreditFact => fact({ kind, category, occurredOn, ...overrides });

export function indicatorOf(evaluation: Evaluation, code: string): IndicatorResult {
  const found = evaluation.indicators.find((indicator) => indicator.code === code);
  if (found === undefined) throw new Error(`no indicator ${code}`);
  return found;
}

export function pointsOf(evaluation: Evaluation, code: string): number {
  return indicatorOf(evaluation, code).points;
}

/** Points of every indicator with no facts at all under v1. */
export const EMPTY_V1_POINTS: Readonly<Record<string, number>> = {
  B01: 0,
  B02: 0,
  B03: 0,
  B04: 15,
  O01: 90,
  O02: 150,
  O03: 80,
  O04: 120,
  O05: 100,
  O06: 60,
  O07: 70,
  O08: 0,
  S01: 0,
  S02: 0,
  S03: 0,
  S04: 40,
};
