import fc from 'fast-check';
import { ErrorCodes } from '../errors';
import { checkUscc, isHeiheRegion, makeUscc, USCC_CHARSET, usccCheckChar } from './uscc';

/*
 * 91350100M000100Y43: a published code (registered in Fuzhou, 350100), the example hutool's
 * CreditCodeUtilTest and many other validators use. By hand, value × weight:
 *   9·1 + 1·3 + 3·9 + 5·27 + 0·19 + 1·26 + 0·16 + 0·17 + M(21)·20 + 0·29 + 0·25 + 0·13
 *   + 1·8 + 0·24 + 0·10 + Y(30)·30 + 4·28
 *   = 9 + 3 + 27 + 135 + 26 + 420 + 8 + 900 + 112 = 1640
 *   1640 mod 31 = 28 (31·52 = 1612);  (31 − 28) mod 31 = 3  →  check character '3'.
 */
const KNOWN_GOOD = '91350100M000100Y43';

const charsetChar = fc.constantFrom(...USCC_CHARSET);
const digit = fc.constantFrom(...'0123456789');
const fixed = (arb: fc.Arbitrary<string>, length: number) =>
  fc.array(arb, { minLength: length, maxLength: length }).map((cs) => cs.join(''));
const usccBody = fc.tuple(fixed(charsetChar, 2), fixed(digit, 6), fixed(charsetChar, 9)).map(([a, b, c]) => a + b + c);

describe('checkUscc', () => {
  it('accepts the published example with a good checksum', () => {
    const sut = checkUscc(KNOWN_GOOD);
    expect(sut).toEqual({
      ok: true,
      uscc: KNOWN_GOOD,
      checksumOk: true,
      regionCode: '350100',
    });
  });

  it('normalizes lower case, spaces and full-width characters', () => {
    const sut = checkUscc(' ９１350100m000100y43 ');
    expect(sut).toEqual(expect.objectContaining({ ok: true, uscc: KNOWN_GOOD }));
  });

  it('flags a well-formed code with a wrong check character for manual review, not rejection', () => {
    const sut = checkUscc('91350100M000100Y44');
    expect(sut).toEqual({
      ok: true,
      uscc: '91350100M000100Y44',
      checksumOk: false,
      regionCode: '350100',
    });
  });

  it('rejects a code with a letter the standard excludes', () => {
    const sut = checkUscc('91350100M000100O43');
    expect(sut).toEqual({
      ok: false,
      reason: '统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）',
    });
  });

  it('rejects a code of the wrong length, saying how long it was', () => {
    const sut = checkUscc('91350100M000100Y4');
    expect(sut).toEqual({
      ok: false,
      reason: '统一社会信用代码应为18位，当前为17位',
    });
  });

  it('rejects a letter inside the administrative division code', () => {
    const sut = checkUscc('9135A100M000100Y43');
    expect(sut).toEqual({
      ok: false,
      reason: '统一社会信用代码第3–8位（登记管理机关行政区划码）应为数字',
    });
  });

  it('asks for input when given only whitespace', () => {
    const sut = checkUscc('   ');
    expect(sut).toEqual({ ok: false, reason: '请输入统一社会信用代码' });
  });

  it('validates every body completed with its computed check character', () => {
    fc.assert(
      fc.property(usccBody, (body) => {
        const sut = checkUscc(body + usccCheckChar(body));
        expect(sut).toEqual(expect.objectContaining({ ok: true, checksumOk: true }));
      }),
    );
  });

  it('rejects or flags a valid code with any single character changed', () => {
    fc.assert(
      fc.property(usccBody, fc.nat(17), charsetChar, (body, position, replacement) => {
        const valid = makeUscc(body);
        fc.pre(valid.charAt(position) !== replacement);
        const changed = valid.slice(0, position) + replacement + valid.slice(position + 1);
        const sut = checkUscc(changed);
        expect(sut.ok && sut.checksumOk).toBe(false);
      }),
    );
  });
});

describe('usccCheckChar', () => {
  it('computes the published example check character', () => {
    const sut = usccCheckChar('91350100M000100Y4');
    expect(sut).toBe('3');
  });

  it('throws INVALID_USCC for a body with an excluded letter', () => {
    const sut = () => usccCheckChar('91350100M000100I4');
    expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_USCC }));
  });

  it('throws INVALID_USCC for a body of the wrong length', () => {
    const sut = () => usccCheckChar('91350100M000100Y');
    expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_USCC }));
  });
});

describe('makeUscc', () => {
  it('appends the check character to the body', () => {
    const sut = makeUscc('91350100M000100Y4');
    expect(sut).toBe(KNOWN_GOOD);
  });
});

describe('isHeiheRegion', () => {
  it('recognizes a Heihe district code (爱辉区 231102)', () => {
    const sut = isHeiheRegion('231102');
    expect(sut).toBe(true);
  });

  it('recognizes the region of a Heihe-registered code', () => {
    const result = checkUscc(makeUscc('91231100MA1B2C3D4'));
    const sut = result.ok && isHeiheRegion(result.regionCode);
    expect(sut).toBe(true);
  });

  it('rejects Harbin (2301xx)', () => {
    const sut = isHeiheRegion('230102');
    expect(sut).toBe(false);
  });

  it('rejects a string that is not a 6-digit code', () => {
    const sut = isHeiheRegion('2311');
    expect(sut).toBe(false);
  });
});
