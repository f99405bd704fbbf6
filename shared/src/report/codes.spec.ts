import {
  base32Chars,
  formatVerificationCode,
  normalizeReportNo,
  normalizeVerificationCode,
  VERIFICATION_CODE_BITS,
} from './codes';

describe('verification codes', () => {
  it('carry at least 80 bits, in four groups of five for reading', () => {
    const code = base32Chars(new Uint8Array(13).fill(0xa5), 20);

    expect(VERIFICATION_CODE_BITS).toBeGreaterThanOrEqual(80);
    expect(formatVerificationCode(code)).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  });

  it('encode 5 bits per character, most significant first', () => {
    expect(base32Chars(new Uint8Array([0b00001000, 0b01000010]), 3)).toBe('111');
    expect(base32Chars(new Uint8Array([0xff, 0xff]), 3)).toBe('ZZZ');
  });

  it('read back as typed: any case, spaces and hyphens, O for 0, I and L for 1', () => {
    expect(normalizeVerificationCode('k7q2m-9xdab c3d4e-f5g6h')).toBe('K7Q2M9XDABC3D4EF5G6H');
    expect(normalizeVerificationCode('OOOOO-IIIII-LLLLL-00000')).toBe('00000111111111100000');
  });

  it('refuse what cannot be a code or a report number', () => {
    expect(normalizeVerificationCode('K7Q2M-9XDAB-C3D4E')).toBeNull();
    expect(normalizeVerificationCode('K7Q2M-9XDAB-C3D4E-F5G6U')).toBeNull();
    expect(normalizeReportNo(' hhxy-20261207-7k2qm9xd ')).toBe('HHXY-20261207-7K2QM9XD');
    expect(normalizeReportNo('HHXY-2026127-7K2QM9XD')).toBeNull();
  });
});
