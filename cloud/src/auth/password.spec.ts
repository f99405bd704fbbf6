import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from './password';

// Small parameters keep the suite fast; production uses DEFAULT_SCRYPT (N = 2^15).
const FAST = { log2N: 10, r: 8, p: 1 };

describe('staff password hashing (scrypt)', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple', FAST);

    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', stored)).toBe(false);
  });

  it('salts each hash, so equal passwords store differently', async () => {
    const a = await hashPassword('同一个密码', FAST);
    const b = await hashPassword('同一个密码', FAST);

    expect(a).not.toBe(b);
    expect(await verifyPassword('同一个密码', a)).toBe(true);
    expect(await verifyPassword('同一个密码', b)).toBe(true);
  });

  it('never stores the password itself', async () => {
    const stored = await hashPassword('s3cret-Passw0rd', FAST);
    expect(stored).not.toContain('s3cret');
    expect(stored).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  });

  it('folds full-width input from Chinese IMEs before hashing', async () => {
    const stored = await hashPassword('Abc123', FAST);
    expect(await verifyPassword('Ａｂｃ１２３', stored)).toBe(true);
  });

  it('refuses malformed or foreign stored hashes instead of throwing', async () => {
    expect(await verifyPassword('x', '')).toBe(false);
    expect(await verifyPassword('x', 'bcrypt$2b$10$abc')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$99$8$1$AAAA$AAAA')).toBe(false);
  });

  it('asks for a re-hash when stored parameters are weaker than the current ones', async () => {
    const weak = await hashPassword('pw', FAST);
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(weak, FAST)).toBe(false);
  });

  it('burns a check for unknown users and always answers false', async () => {
    expect(await burnPasswordCheck('anything')).toBe(false);
  });
});
