import { z } from 'zod';
import { idNumberSchema, makeIdNumberSchema, usccSchema } from './schemas';
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
