import { AppError, ErrorCodes } from '../errors';
import { isIsoDate } from '../calendar/iso-date';
import { normalizeCode } from './normalize';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARS = '10X98765432';

/**
 * Province-level codes of GB/T 2260, plus 71/81/82 (Taiwan, Hong Kong, Macao), which the
 * residence permits for those residents use in the same 18-character format.
 */
const PROVINCE_CODES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);

/** Anything earlier is a typo, not a living person's birth year. */
const EARLIEST_BIRTH_YEAR = 1850;

export type IdNumberCheck =
  { ok: true; idNumber: string; birthDate: string; regionCode: string } | { ok: false; reason: string };

export interface IdNumberCheckOptions {
  /** 'YYYY-MM-DD'; when given, a birth date after it is rejected. */
  today?: string;
}

/** Trims, folds full-width characters and uppercases a trailing x. */
export function normalizeIdNumber(value: string): string {
  return normalizeCode(value);
}

function checkCharOf(body: string): string {
  let sum = 0;
  ID_WEIGHTS.forEach((weight, i) => {
    sum += Number(body.charAt(i)) * weight;
  });
  return ID_CHECK_CHARS.charAt(sum % 11);
}

export function idNumberCheckChar(first17: string): string {
  const body = normalizeIdNumber(first17);
  if (!/^\d{17}$/.test(body)) {
    const message = '身份证号本体应为17位数字';
    throw new AppError(ErrorCodes.INVALID_ID_NUMBER, message, [{ path: 'idNumber', message }]);
  }
  return checkCharOf(body);
}

export function makeIdNumber(first17: string): string {
  return normalizeIdNumber(first17) + idNumberCheckChar(first17);
}

export function checkIdNumber(value: string, opts: IdNumberCheckOptions = {}): IdNumberCheck {
  const idNumber = normalizeIdNumber(value);
  if (idNumber === '') return { ok: false, reason: '请输入身份证号' };
  if (idNumber.length !== 18) {
    return {
      ok: false,
      reason: `身份证号应为18位，当前为${idNumber.length}位`,
    };
  }
  if (!/^\d{17}[\dX]$/.test(idNumber)) {
    return { ok: false, reason: '身份证号前17位应为数字，最后一位应为数字或X' };
  }
  if (!PROVINCE_CODES.has(idNumber.slice(0, 2))) {
    return { ok: false, reason: '身份证号前6位不是有效的行政区划代码' };
  }
  const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  if (!isIsoDate(birthDate) || Number(idNumber.slice(6, 10)) < EARLIEST_BIRTH_YEAR) {
    return { ok: false, reason: '身份证号中的出生日期无效' };
  }
  if (opts.today !== undefined && !isIsoDate(opts.today)) {
    const message = `today 应为 YYYY-MM-DD 格式的有效日期：${opts.today}`;
    throw new AppError(ErrorCodes.VALIDATION_FAILED, message, [{ path: 'today', message }]);
  }
  if (opts.today !== undefined && birthDate > opts.today) {
    return { ok: false, reason: '身份证号中的出生日期晚于今天' };
  }
  if (checkCharOf(idNumber.slice(0, 17)) !== idNumber.charAt(17)) {
    return { ok: false, reason: '身份证号校验位不正确，请核对后重新输入' };
  }
  return { ok: true, idNumber, birthDate, regionCode: idNumber.slice(0, 6) };
}
