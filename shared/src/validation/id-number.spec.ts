import fc from 'fast-check';
import { ErrorCodes } from '../errors';
import { fromDayNumber, toDayNumber } from '../calendar/iso-date';
import { checkIdNumber, idNumberCheckChar, makeIdNumber, normalizeIdNumber } from './id-number';

/*
 * GB 11643-1999's own example. Digits × weights 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2:
 *   7 + 9 + 0 + 5 + 0 + 20 + 2 + 9 + 24 + 27 + 7 + 18 + 30 + 5 + 0 + 0 + 4 = 167
 *   167 mod 11 = 2  →  "10X98765432"[2] = 'X'.
 */
const GB_EXAMPLE = '11010519491231002X';

const digits = (length: number) =>
  fc
    .array(fc.constantFrom(...'0123456789'), {
      minLength: length,
      maxLength: length,
    })
    .map((cs) => cs.join(''));
const idBody = fc
  .tuple(
    fc.constantFrom('11', '23', '31', '44', '65', '81'),
    digits(4),
    fc.integer({
      min: toDayNumber('1900-01-01'),
      max: toDayNumber('2025-12-31'),
    }),
    digits(3),
  )
  .map(([province, county, birth, sequence]) => province + county + fromDayNumber(birth).replace(/-/g, '') + sequence);

describe('checkIdNumber', () => {
  it('accepts the GB 11643 example and reads its birth date', () => {
    const sut = checkIdNumber(GB_EXAMPLE);
    expect(sut).toEqual({
      ok: true,
      idNumber: GB_EXAMPLE,
      birthDate: '1949-12-31',
      regionCode: '110105',
    });
  });

  it('accepts a lower-case x with surrounding spaces', () => {
    const sut = checkIdNumber(' 11010519491231002x ');
    expect(sut).toEqual(expect.objectContaining({ ok: true, idNumber: GB_EXAMPLE }));
  });

  it('rejects a wrong check character', () => {
    const sut = checkIdNumber('110105194912310021');
    expect(sut).toEqual({
      ok: false,
      reason: '身份证号校验位不正确，请核对后重新输入',
    });
  });

  it('rejects an impossible birth date even with a matching check character', () => {
    const sut = checkIdNumber(makeIdNumber('11010519490230002'));
    expect(sut).toEqual({ ok: false, reason: '身份证号中的出生日期无效' });
  });

  it('rejects a birth date after the injected today', () => {
    const sut = checkIdNumber(makeIdNumber('23110220260601123'), {
      today: '2026-05-31',
    });
    expect(sut).toEqual({ ok: false, reason: '身份证号中的出生日期晚于今天' });
  });

  it('accepts a birth date on the injected today', () => {
    const sut = checkIdNumber(makeIdNumber('23110220260531123'), {
      today: '2026-05-31',
    });
    expect(sut).toEqual(expect.objectContaining({ ok: true, birthDate: '2026-05-31' }));
  });

  it('throws VALIDATION_FAILED for a malformed today', () => {
    const sut = () => checkIdNumber(GB_EXAMPLE, { today: '2026/05/31' });
    expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.VALIDATION_FAILED }));
  });

  it('rejects a province code that does not exist', () => {
    const sut = checkIdNumber(makeIdNumber('00010519491231002'));
    expect(sut).toEqual({
      ok: false,
      reason: '身份证号前6位不是有效的行政区划代码',
    });
  });

  it('rejects a 15-digit first-generation number', () => {
    const sut = checkIdNumber('110105491231002');
    expect(sut).toEqual({ ok: false, reason: '身份证号应为18位，当前为15位' });
  });

  it('rejects a letter other than a final X', () => {
    const sut = checkIdNumber('11010519491231002A');
    expect(sut).toEqual({
      ok: false,
      reason: '身份证号前17位应为数字，最后一位应为数字或X',
    });
  });

  it('asks for input when empty', () => {
    const sut = checkIdNumber('');
    expect(sut).toEqual({ ok: false, reason: '请输入身份证号' });
  });

  it('validates every body completed with its computed check character', () => {
    fc.assert(
      fc.property(idBody, (body) => {
        const sut = checkIdNumber(body + idNumberCheckChar(body));
        expect(sut.ok).toBe(true);
      }),
    );
  });

  it('rejects a valid number with any single character changed', () => {
    const replacements = fc.constantFrom(...'0123456789X');
    fc.assert(
      fc.property(idBody, fc.nat(17), replacements, (body, position, replacement) => {
        const valid = makeIdNumber(body);
        fc.pre(valid.charAt(position) !== replacement);
        const sut = checkIdNumber(valid.slice(0, position) + replacement + valid.slice(position + 1));
        expect(sut.ok).toBe(false);
      }),
    );
  });
});

describe('idNumberCheckChar', () => {
  it('computes X for the GB 11643 example', () => {
    const sut = idNumberCheckChar('11010519491231002');
    expect(sut).toBe('X');
  });

  it('throws INVALID_ID_NUMBER for a body with a letter', () => {
    const sut = () => idNumberCheckChar('1101051949123100A');
    expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_ID_NUMBER }));
  });
});

describe('normalizeIdNumber', () => {
  it('trims and upper-cases a trailing x', () => {
    const sut = normalizeIdNumber('  11010519491231002x\n');
    expect(sut).toBe(GB_EXAMPLE);
  });

  it('folds full-width digits typed through a Chinese IME', () => {
    const sut = normalizeIdNumber('１１０１０５１９４９１２３１００２ｘ');
    expect(sut).toBe(GB_EXAMPLE);
  });
});
