import { loadConfig } from './config';

const productionEnv = {
  NODE_ENV: 'production',
  JWT_SECRET: 'a-real-secret-from-the-vault-0123456789abcdef',
  PII_ENCRYPTION_KEY: 'ab'.repeat(32),
  PII_HASH_KEY: 'cd'.repeat(32),
  TOTP_ENCRYPTION_KEY: 'ef'.repeat(32),
  EVIDENCE_URL_KEY: '12'.repeat(32),
  WEBHOOK_SECRET_KEY: '34'.repeat(32),
  WECHAT_APP_ID: 'wx1234567890abcdef',
  WECHAT_APP_SECRET: '0123456789abcdef0123456789abcdef',
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
});
