import { base32Decode, base32Encode, hotp, otpauthUri, totp, verifyTotp } from './totp';

const SEEDS = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};

describe('HOTP (RFC 4226 appendix D)', () => {
  it.each([
    [0, '755224'],
    [1, '287082'],
    [2, '359152'],
    [3, '969429'],
    [4, '338314'],
    [5, '254676'],
    [6, '287922'],
    [7, '162583'],
    [8, '399871'],
    [9, '520489'],
  ])('counter %i gives %s', (counter, code) => {
    expect(hotp(SEEDS.sha1, counter)).toBe(code);
  });
});

describe('TOTP (RFC 6238 appendix B, 8 digits)', () => {
  it.each([
    [59, '94287082', 'sha1'],
    [59, '46119246', 'sha256'],
    [59, '90693936', 'sha512'],
    [1111111109, '07081804', 'sha1'],
    [1111111109, '68084774', 'sha256'],
    [1111111109, '25091201', 'sha512'],
    [1111111111, '14050471', 'sha1'],
    [1111111111, '67062674', 'sha256'],
    [1111111111, '99943326', 'sha512'],
    [1234567890, '89005924', 'sha1'],
    [1234567890, '91819424', 'sha256'],
    [1234567890, '93441116', 'sha512'],
    [2000000000, '69279037', 'sha1'],
    [2000000000, '90698825', 'sha256'],
    [2000000000, '38618901', 'sha512'],
    [20000000000, '65353130', 'sha1'],
    [20000000000, '77737706', 'sha256'],
    [20000000000, '47863826', 'sha512'],
  ] as const)('at %i s the code is %s (%s)', (seconds, code, algorithm) => {
    expect(totp(SEEDS[algorithm], seconds * 1000, { algorithm, digits: 8 })).toBe(code);
  });
});

describe('verifyTotp', () => {
  const secret = SEEDS.sha1;
  const at = 1_234_567_890_000;
  const codeAt = (ms: number) => totp(secret, ms);

  it('accepts the current step and one step either side', () => {
    expect(verifyTotp(secret, codeAt(at), at)).not.toBeNull();
    expect(verifyTotp(secret, codeAt(at - 30_000), at)).not.toBeNull();
    expect(verifyTotp(secret, codeAt(at + 30_000), at)).not.toBeNull();
  });

  it('refuses a code two steps away', () => {
    expect(verifyTotp(secret, codeAt(at - 60_000), at)).toBeNull();
    expect(verifyTotp(secret, codeAt(at + 60_000), at)).toBeNull();
  });

  it('refuses malformed codes without comparing', () => {
    expect(verifyTotp(secret, '', at)).toBeNull();
    expect(verifyTotp(secret, '12345', at)).toBeNull();
    expect(verifyTotp(secret, `${codeAt(at)}0`, at)).toBeNull();
    expect(verifyTotp(secret, 'abcdef', at)).toBeNull();
  });

  it('refuses the code of another secret', () => {
    expect(verifyTotp(SEEDS.sha256, codeAt(at), at)).toBeNull();
  });
});

describe('base32 (RFC 4648)', () => {
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('%j ⇄ %s', (clear, encoded) => {
    expect(base32Encode(Buffer.from(clear))).toBe(encoded);
    expect(base32Decode(encoded).toString()).toBe(clear);
  });

  it('decodes lowercase, spaced and padded input as authenticator apps show it', () => {
    expect(base32Decode('mzxw 6ytb oi======').toString()).toBe('foobar');
  });

  it('puts the secret and issuer in the otpauth URI', () => {
    const uri = otpauthUri('MZXW6YTBOI', 'reviewer1');
    expect(uri.startsWith('otpauth://totp/')).toBe(true);
    expect(new URL(uri).searchParams.get('secret')).toBe('MZXW6YTBOI');
  });
});
