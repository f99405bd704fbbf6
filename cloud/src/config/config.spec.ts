import { loadConfig } from './config';

const realSecrets = {
  JWT_SECRET: 'a-real-secret-from-the-vault-0123456789abcdef',
  PII_ENCRYPTION_KEY: 'ab'.repeat(32),
  PII_HASH_KEY: 'cd'.repeat(32),
  TOTP_ENCRYPTION_KEY: 'ef'.repeat(32),
  EVIDENCE_URL_KEY: '12'.repeat(32),
  WEBHOOK_SECRET_KEY: '34'.repeat(32),
  WECHAT_APP_ID: 'wx1234567890abcdef',
  WECHAT_APP_SECRET: '0123456789abcdef0123456789abcdef',
};

const productionEnv = {
  ...realSecrets,
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://heihe:pw@db.internal:5432/heihe',
};

describe('configuration', () => {
  it('accepts a production environment with real keys', () => {
    const sut = loadConfig(productionEnv);

    expect(sut).toMatchObject({
      DEMO_MODE: false,
      FACE_VERIFY_ENABLED: true,
      WECHAT_BASE_URL: 'https://api.weixin.qq.com',
      AUDIT_RETENTION_DAYS: 184,
    });
  });

  it.each([
    ['the placeholder TOTP key', { TOTP_ENCRYPTION_KEY: undefined }, 'TOTP_ENCRYPTION_KEY'],
    ['the placeholder JWT secret', { JWT_SECRET: undefined }, 'JWT_SECRET'],
    ['the demo WeChat secret', { WECHAT_APP_SECRET: undefined }, 'WECHAT_APP_SECRET'],
    ['a plain-http WeChat base URL (a fake server)', { WECHAT_BASE_URL: 'http://127.0.0.1:3100' }, 'WECHAT_BASE_URL'],
    ['demo mode', { DEMO_MODE: 'true' }, 'DEMO_MODE'],
    ['the embedded PGlite database (no DATABASE_URL)', { DATABASE_URL: undefined }, 'DATABASE_URL'],
  ])('refuses %s in production', (_what, change, key) => {
    expect(() => loadConfig({ ...productionEnv, ...change })).toThrow(key);
  });

  it('refuses an audit retention under six months, anywhere', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', AUDIT_RETENTION_DAYS: '90' })).toThrow('AUDIT_RETENTION_DAYS');
  });

  it('turns face verification off only when told', () => {
    expect(loadConfig({ NODE_ENV: 'test', FACE_VERIFY_ENABLED: 'false' }).FACE_VERIFY_ENABLED).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).FACE_VERIFY_ENABLED).toBe(true);
  });

  describe('with NODE_ENV unset', () => {
    it('refuses to serve with the placeholder secrets, and says what to set', () => {
      const sut = () => loadConfig({}, { serving: true });

      expect(sut).toThrow(/NODE_ENV is not set and JWT_SECRET, PII_ENCRYPTION_KEY, .*WECHAT_APP_SECRET/);
      expect(sut).toThrow('NODE_ENV=production');
      expect(sut).toThrow('DEMO_MODE=true');
    });

    it('refuses to serve with even one placeholder left', () => {
      expect(() => loadConfig({ ...realSecrets, WEBHOOK_SECRET_KEY: undefined }, { serving: true })).toThrow(
        /NODE_ENV is not set and WEBHOOK_SECRET_KEY still/,
      );
    });

    it('serves the demo when DEMO_MODE=true says so', () => {
      const sut = loadConfig({ DEMO_MODE: 'true' }, { serving: true });

      expect(sut).toMatchObject({ NODE_ENV: 'development', DEMO_MODE: true });
    });

    it('serves with real secrets', () => {
      expect(loadConfig(realSecrets, { serving: true }).NODE_ENV).toBe('development');
    });

    it('lets the CLI tools run with the placeholders, as the README shows', () => {
      expect(loadConfig({}).NODE_ENV).toBe('development');
    });
  });

  it('serves with the placeholders when NODE_ENV=development is set on purpose', () => {
    expect(loadConfig({ NODE_ENV: 'development' }, { serving: true }).DEMO_MODE).toBe(false);
  });

  it('refuses the embedded database in production for the tools too', () => {
    expect(() => loadConfig({ ...productionEnv, DATABASE_URL: undefined })).toThrow(
      /DATABASE_URL: required in production/,
    );
  });

  it('gives a refresh token presented twice ten seconds of grace by default', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).REFRESH_REUSE_GRACE_S).toBe(10);
  });
});
