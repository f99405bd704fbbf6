import { AppError, ErrorCodes } from '../errors';
import { normalizeCode } from './normalize';

/** GB 32100-2015: digits and capitals without I, O, S, V, Z; a character's value is its index. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const USCC_BODY = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{9}$/;

export type UsccCheck =
  | {
      ok: true;
      uscc: string;
      /** false = well-formed but the check character disagrees: route to manual review. */
      checksumOk: boolean;
      /** Positions 3–8, the registering authority's administrative division (GB/T 2260). */
      regionCode: string;
    }
  | { ok: false; reason: string };

export function normalizeUscc(value: string): string {
  return normalizeCode(value);
}

function bodyProblem(body: string): string | null {
  if (body.length !== 17) return '统一社会信用代码本体应为前17位';
  if (USCC_BODY.test(body)) return null;
  if ([...body].some((c) => !USCC_CHARSET.includes(c))) {
    return '统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）';
  }
  if (!USCC_BODY.test(body)) return '统一社会信用代码第3–8位（登记管理机关行政区划码）应为数字';
  return null;
}

function checkCharOf(body: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(body.charAt(i)) * USCC_WEIGHTS[i]!;
  return USCC_CHARSET.charAt((31 - (sum % 31)) % 31);
}

/** The check character (position 18) for the first 17 characters. */
export function usccCheckChar(first17: string): string {
  const body = normalizeUscc(first17);
  const problem = bodyProblem(body);
  if (problem) throw new AppError(ErrorCodes.INVALID_USCC, problem, [{ path: 'uscc', message: problem }]);
  return checkCharOf(body);
}

export function makeUscc(first17: string): string {
  return normalizeUscc(first17) + usccCheckChar(first17);
}

/**
 * Shape errors reject the code; a failed checksum does not, because a few early codes issued
 * by registration authorities fail it and are still legal. Those come back checksumOk: false.
 */
export function checkUscc(value: string): UsccCheck {
  const uscc = normalizeUscc(value);
  if (uscc === '') return { ok: false, reason: '请输入统一社会信用代码' };
  if (uscc.length !== 18) {
    return {
      ok: false,
      reason: `统一社会信用代码应为18位，当前为${uscc.length}位`,
    };
  }
  const body = uscc.slice(0, 17);
  const problem = bodyProblem(body);
  if (problem) return { ok: false, reason: problem };
  const last = uscc.charAt(17);
  if (!USCC_CHARSET.includes(last)) {
    return {
      ok: false,
      reason: '统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）',
    };
  }
  return {
    ok: true,
    uscc,
    checksumOk: checkCharOf(body) === last,
    regionCode: uscc.slice(2, 8),
  };
}

/** Heihe (黑河市, 2311xx) — pass a 6-digit division code such as UsccCheck.regionCode. */
export function isHeiheRegion(regionCode: string): boolean {
  return /^2311\d{2}$/.test(regionCode);
}
