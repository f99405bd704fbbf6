import type { EvaluationRecord, OpenApplication } from '@/api/types';
import { zh } from '@/i18n/zh';

/** Kinds whose record lowers the score and is published for a limited time (公示期). */
const NEGATIVE_KINDS = new Set([
  'penalty',
  'abnormal_listing',
  'dishonesty_listing',
  'enforcement',
  'arrears',
  'loan_default',
  'safety_violation',
  'key_person_listing',
]);

/** Kinds whose decision is a penalty: its content and basis read as 处罚内容 and 处罚依据. */
const PENALTY_KINDS = new Set(['penalty', 'safety_violation']);

export interface RecordFact {
  key: string;
  label: string;
  value: string;
}

export function isNegativeKind(kind: string): boolean {
  return NEGATIVE_KINDS.has(kind);
}

function categoryLabel(category: string): string {
  return (zh.categories as Record<string, string>)[category] ?? category;
}

function yuan(amount: number): string {
  if (amount !== 0 && amount % 10_000 === 0) return `${(amount / 10_000).toLocaleString('zh-CN')} 万元`;
  return `${amount.toLocaleString('zh-CN')} 元`;
}

/**
 * The record's own value, in the kind's words: a tax grade shows its letter, a headcount its
 * number. Null for kinds whose summary already says what they are (a penalty, a listing).
 */
export function valueOf(record: EvaluationRecord): RecordFact | null {
  const f = zh.recordFacts;
  const amount = record.amount ?? null;
  const category = record.category ?? null;
  switch (record.kind) {
    case 'tax_grade':
      return record.grade
        ? { key: 'value', label: f.taxGrade, value: amount ? f.taxGradeOfYear(record.grade, amount) : record.grade }
        : null;
    case 'tax_paid':
      return amount === null ? null : { key: 'value', label: f.taxPaid, value: yuan(amount) };
    case 'social_insurance':
      return amount === null
        ? null
        : {
            key: 'value',
            label: f.insured,
            value: `${f.people(amount)}${category ? `，${categoryLabel(category)}` : ''}`,
          };
    case 'annual_report':
      return {
        key: 'value',
        label: f.annualReport,
        value: [amount ? f.reportYear(amount) : null, category ? categoryLabel(category) : null]
          .filter(Boolean)
          .join('，'),
      };
    case 'registration':
      return amount === null ? null : { key: 'value', label: f.paidIn, value: yuan(amount) };
    case 'honour':
    case 'welfare':
    case 'enforcement':
    case 'arrears':
    case 'loan_default':
      return category ? { key: 'value', label: f.category, value: categoryLabel(category) } : null;
    default:
      return null;
  }
}

/** What 信用中国 shows of a record, in its order; a field the source did not send is left out. */
export function factsOf(record: EvaluationRecord): RecordFact[] {
  const f = zh.recordFacts;
  const penalty = PENALTY_KINDS.has(record.kind);
  const out: RecordFact[] = [];
  const add = (key: string, label: string, value: string | null | undefined) => {
    if (value) out.push({ key, label, value });
  };
  add('authority', f.authority, record.authority);
  add('documentNo', f.documentNo, record.documentNo);
  add('content', penalty ? f.penaltyContent : f.content, record.content);
  add('legalBasis', penalty ? f.penaltyBasis : f.basis, record.legalBasis);
  const value = valueOf(record);
  if (value && value.value) out.push(value);
  add('occurredOn', penalty ? f.decidedOn : f.occurredOn, record.occurredOn);
  if (record.severity) add('severity', f.severity, (zh.severities as Record<string, string>)[record.severity]);
  // A revoked or repaired record is no longer published: a 公示至 date would contradict its state.
  const withdrawn =
    ['revoked', 'repaired'].includes(record.excluded ?? '') || ['revoked', 'repaired'].includes(record.status);
  if (withdrawn) return out;
  if (isNegativeKind(record.kind)) add('validTo', f.publicUntil, record.publicUntil ?? record.validTo ?? f.noEnd);
  else add('validTo', f.validUntil, record.validTo);
  return out;
}

/** The record's state as the user should read it: an application in progress says so. */
export function recordStateLabel(record: EvaluationRecord): string {
  const open: OpenApplication | null = record.openApplication ?? null;
  if (open) return zh.recordFacts.inProgress[open.kind];
  const key =
    record.excluded === 'expired' || record.excluded === 'repaired' || record.excluded === 'revoked'
      ? record.excluded
      : record.status;
  return key in zh.recordStatuses ? zh.recordStatuses[key as keyof typeof zh.recordStatuses] : key;
}

/** How a record is named in a list: its date and what it is, never its internal number. */
export function recordName(record: Pick<EvaluationRecord, 'kind' | 'summary' | 'occurredOn'>): string {
  const kind = (zh.recordKinds as Record<string, string>)[record.kind] ?? zh.recordFacts.aRecord;
  return `${record.occurredOn} ${record.summary ? `${kind} · ${record.summary}` : kind}`;
}
