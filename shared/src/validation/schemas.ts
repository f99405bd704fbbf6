import { z } from 'zod';
import { checkIdNumber, normalizeIdNumber, type IdNumberCheckOptions } from './id-number';
import { checkUscc, normalizeUscc } from './uscc';

/**
 * Shared by the API pipe and the mini program forms. `overwrite` keeps these plain string
 * schemas (unlike `transform`), so they still convert to JSON Schema for the OpenAPI document.
 * The output is the normalized code.
 */
export const usccSchema = z
  .string({ error: '请输入统一社会信用代码' })
  .overwrite(normalizeUscc)
  .superRefine((value, ctx) => {
    const result = checkUscc(value);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.reason });
  });

/** Pass `today` (from the injected clock) to also reject birth dates in the future. */
export function makeIdNumberSchema(opts: IdNumberCheckOptions = {}) {
  return z
    .string({ error: '请输入身份证号' })
    .overwrite(normalizeIdNumber)
    .superRefine((value, ctx) => {
      const result = checkIdNumber(value, opts);
      if (!result.ok) ctx.addIssue({ code: 'custom', message: result.reason });
    });
}

export const idNumberSchema = makeIdNumberSchema();

/** PostgreSQL's int4, the type of every id and version the API takes except record ids. */
export const INT4_MAX = 2_147_483_647;

/**
 * Record and version ids are BIGINT (ADR 0023) and travel as JSON numbers: exact up to 2^53 − 1,
 * which no sequence reaches (130亿 records are below 2^34).
 */
export const RECORD_ID_MAX = Number.MAX_SAFE_INTEGER;

// eslint-disable-next-line no-control-regex -- NUL is what it looks for
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

/**
 * No NUL and no lone UTF-16 surrogate: PostgreSQL text cannot hold NUL, and a lone surrogate has
 * no UTF-8 form (it would be stored as U+FFFD, silently changed). Paired surrogates (emoji) pass.
 */
export function isStorableText(s: string): boolean {
  if (!SUSPECT.test(s)) return true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return false;
    if (c >= 0xdc00 && c <= 0xdfff) return false;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    }
  }
  return true;
}

const STORABLE = '不能包含空字符或无效的 Unicode 字符';

/** `z.string()` for what a request carries: refuses NUL and lone surrogates (see isStorableText). */
export function safeText(params?: string | { error: string }) {
  return z.string(params).refine(isStorableText, STORABLE);
}

/** Every string (keys too) inside a JSON value is storable text. */
export function isStorableJson(v: unknown): boolean {
  if (typeof v === 'string') return isStorableText(v);
  if (Array.isArray(v)) return v.every(isStorableJson);
  if (v !== null && typeof v === 'object')
    return Object.entries(v).every(([k, x]) => isStorableText(k) && isStorableJson(x));
  return true;
}

/** A date of the calendar as YYYY-MM-DD: 2026-02-30 and 2026-13-01 are not. Years 0001–9999. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
}

/** YYYY-MM-DD, and a day that exists. The pattern stays in the OpenAPI document. */
export const isoDateSchema = z
  .string({ error: '请填写日期' })
  .regex(ISO_DATE, '日期格式应为 YYYY-MM-DD')
  // Not `abort`: an aborted issue would skip the refinements of the object around it (a form's
  // cross-field messages); a string that is not YYYY-MM-DD already has its one issue.
  .refine((s) => !ISO_DATE.test(s) || isCalendarDate(s), '日期不存在，请检查年、月、日');

/** A GB/T 4754 industry code or prefix, as filters take it: the section letter and up to four digits. */
export const industryPrefixSchema = z
  .string()
  .regex(/^[A-T]\d{0,4}$/, '行业代码应符合 GB/T 4754：门类字母加至多 4 位数字');

/** A GB/T 2260 division code or prefix, as filters take it: 2 to 6 digits. */
export const regionPrefixSchema = z.string().regex(/^\d{2,6}$/, '区划代码应为 2 到 6 位数字');

/** An id in a JSON body: a positive integer within int4. */
export function idSchema(message = '编号应为正整数') {
  return z.number({ error: message }).int(message).positive(message).max(INT4_MAX, '编号超出范围');
}

/**
 * An id in a path or query string, parsed strictly: canonical decimal only (`0x1`, `1e0`, `+1`,
 * `1.0`, ` 1` and `01` are not ids, where `z.coerce` would read them all as 1), within int4.
 */
export function idParamSchema(message = '编号应为正整数') {
  return z
    .string({ error: message })
    .regex(/^[1-9][0-9]{0,9}$/, message)
    .transform(Number)
    .pipe(z.number().max(INT4_MAX, '编号超出范围'));
}

/** A record or version id in a body: a positive integer up to RECORD_ID_MAX (BIGINT, ADR 0023). */
export function recordIdSchema(message = '记录编号应为正整数') {
  return z.number({ error: message }).int(message).positive(message).max(RECORD_ID_MAX, '编号超出范围');
}

/** A record or version id in a path or query string: canonical decimal, up to RECORD_ID_MAX. */
export function recordIdParamSchema(message = '记录编号应为正整数') {
  return z
    .string({ error: message })
    .regex(/^[1-9][0-9]{0,15}$/, message)
    .transform(Number)
    .pipe(z.number().max(RECORD_ID_MAX, '编号超出范围'));
}
