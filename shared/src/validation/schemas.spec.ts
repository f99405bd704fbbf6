import { z } from 'zod';
import {
  idNumberSchema,
  idParamSchema,
  idSchema,
  isCalendarDate,
  isoDateSchema,
  isStorableJson,
  isStorableText,
  makeIdNumberSchema,
  safeText,
  usccSchema,
} from './schemas';
import { makeIdNumber } from './id-number';

const firstMessage = (result: { success: boolean; error?: z.ZodError }) => result.error?.issues[0]?.message;

describe('usccSchema', () => {
  it('outputs the normalized code', () => {
    const sut = usccSchema.parse(' 91350100m000100y43 ');
    expect(sut).toBe('91350100M000100Y43');
  });

  it('lets a checksum failure through for manual review', () => {
    const sut = usccSchema.safeParse('91350100M000100Y44');
    expect(sut.success).toBe(true);
  });

  it('rejects a malformed code with the Chinese reason', () => {
    const sut = usccSchema.safeParse('91350100M000100Y4');
    expect(firstMessage(sut)).toBe('统一社会信用代码应为18位，当前为17位');
  });

  it('rejects a non-string with a Chinese message', () => {
    const sut = usccSchema.safeParse(91350100);
    expect(firstMessage(sut)).toBe('请输入统一社会信用代码');
  });

  it('still converts to JSON Schema for the OpenAPI document', () => {
    const sut = z.toJSONSchema(usccSchema);
    expect(sut).toEqual(expect.objectContaining({ type: 'string' }));
  });
});

describe('idNumberSchema', () => {
  it('outputs the normalized number', () => {
    const sut = idNumberSchema.parse('11010519491231002x');
    expect(sut).toBe('11010519491231002X');
  });

  it('rejects a wrong check character with the Chinese reason', () => {
    const sut = idNumberSchema.safeParse('110105194912310021');
    expect(firstMessage(sut)).toBe('身份证号校验位不正确，请核对后重新输入');
  });

  it('rejects a future birth date when built with today', () => {
    const sut = makeIdNumberSchema({ today: '2026-05-31' }).safeParse(makeIdNumber('23110220260601123'));
    expect(firstMessage(sut)).toBe('身份证号中的出生日期晚于今天');
  });
});

describe('safeText', () => {
  it.each([
    ['NUL', 'a\u0000b'],
    ['a lone high surrogate', 'a\uD800b'],
    ['a high surrogate at the end', 'ab\uD83D'],
    ['a lone low surrogate', '\uDE00ab'],
  ])('refuses %s with a Chinese message', (_what, value) => {
    const sut = safeText().max(10).safeParse(value);

    expect(firstMessage(sut)).toBe('不能包含空字符或无效的 Unicode 字符');
  });

  it.each([
    ['emoji', '企业😀👨‍👩‍👧'],
    ['plain Chinese', '黑河市'],
    ['tabs and newlines', 'a\tb\nc'],
    ['empty', ''],
  ])('accepts %s', (_what, value) => {
    expect(isStorableText(value)).toBe(true);
  });

  it('keeps the chained string checks', () => {
    const sut = safeText().trim().min(2, '太短');

    expect(firstMessage(sut.safeParse(' a '))).toBe('太短');
    expect(sut.parse(' ab ')).toBe('ab');
  });

  it('looks into keys and nested values of JSON', () => {
    expect(isStorableJson({ a: [{ b: 'ok' }] })).toBe(true);
    expect(isStorableJson({ a: [{ b: 'x\u0000' }] })).toBe(false);
    expect(isStorableJson({ ['k\uDC00']: 1 })).toBe(false);
  });
});

describe('isoDateSchema', () => {
  it.each(['2026-02-30', '2026-13-01', '2026-00-10', '2026-04-31', '2025-02-29', '1900-02-29', '0000-01-01'])(
    'refuses the impossible date %s',
    (value) => {
      expect(isoDateSchema.safeParse(value).success).toBe(false);
    },
  );

  it.each(['2026-02-28', '2024-02-29', '2000-02-29', '2026-12-31', '0001-01-01'])('accepts %s', (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  it('says the format when it is not YYYY-MM-DD', () => {
    expect(firstMessage(isoDateSchema.safeParse('2026-2-1'))).toBe('日期格式应为 YYYY-MM-DD');
  });

  it('keeps its pattern in the JSON Schema', () => {
    expect(z.toJSONSchema(isoDateSchema)).toEqual(
      expect.objectContaining({ type: 'string', pattern: expect.any(String) }),
    );
  });
});

describe('idParamSchema', () => {
  it.each(['0x1', '1e0', '+1', '1.0', ' 1', '1 ', '01', '0', '-1', '', '2147483648', '99999999999', '１'])(
    'refuses %j, which z.coerce would read as a number',
    (value) => {
      expect(idParamSchema().safeParse(value).success).toBe(false);
    },
  );

  it('parses canonical decimal ids up to int4', () => {
    expect(idParamSchema().parse('1')).toBe(1);
    expect(idParamSchema().parse('2147483647')).toBe(2147483647);
  });

  it('documents a string with its pattern', () => {
    expect(z.toJSONSchema(idParamSchema(), { io: 'input' })).toEqual(
      expect.objectContaining({ type: 'string', pattern: '^[1-9][0-9]{0,9}$' }),
    );
  });
});

describe('idSchema', () => {
  it.each([2 ** 31, 0, -1, 1.5, Number.MAX_SAFE_INTEGER])('refuses %p', (value) => {
    expect(idSchema().safeParse(value).success).toBe(false);
  });

  it('accepts the largest int4', () => {
    expect(idSchema().parse(2 ** 31 - 1)).toBe(2 ** 31 - 1);
  });
});
