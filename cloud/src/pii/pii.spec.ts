import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { keyIdOf } from '../common/secret-box';
import { loadConfig } from '../config/config';
import { testConfig } from '../testing/config';
import { PiiVault } from './pii';

const OLD = '11'.repeat(32);
const NEW = '22'.repeat(32);
const HASH = '33'.repeat(32);
const ID = '11010119900307001X';

describe('PiiVault', () => {
  it('seals an ID number with the current key id, hashes and masks it', () => {
    const sut = new PiiVault(NEW, HASH);

    const s = sut.seal(` ${ID.toLowerCase()} `);

    expect(s.cipher).toMatch(new RegExp(`^v2:${keyIdOf(NEW)}:`));
    expect(sut.open(s.cipher)).toBe(ID);
    expect(s.hash).toBe(sut.hash(ID));
    expect(s.masked).toBe('1101**********001X');
  });

  it('keeps opening and finding what it sealed before the encryption key rotated', () => {
    const before = new PiiVault(OLD, HASH).seal(ID);

    const sut = PiiVault.fromConfig(
      testConfig({ PII_ENCRYPTION_KEY: NEW, PII_ENCRYPTION_KEYS_OLD: OLD, PII_HASH_KEY: HASH }),
    );

    expect(sut.open(before.cipher)).toBe(ID);
    expect(sut.hash(ID)).toBe(before.hash);
    expect(sut.seal(ID).cipher).toMatch(new RegExp(`^v2:${keyIdOf(NEW)}:`));
  });

  it('refuses a value sealed with an encryption key it was not given, naming its key id', () => {
    const sealed = new PiiVault(OLD, HASH).seal(ID).cipher;

    expect(() => new PiiVault(NEW, HASH).open(sealed)).toThrow(keyIdOf(OLD));
  });

  it('crosses to a worker thread with its older keys', () => {
    const sut = PiiVault.fromConfig(
      testConfig({ PII_ENCRYPTION_KEY: NEW, PII_ENCRYPTION_KEYS_OLD: OLD, PII_HASH_KEY: HASH }),
    );
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(sut.forWorker());

    const there = PiiVault.fromWorker(receiveMessageOnPort(port2)!.message as ReturnType<PiiVault['forWorker']>);
    port1.close();

    expect(there.open(new PiiVault(OLD, HASH).seal(ID).cipher)).toBe(ID);
    expect(there.hash(ID)).toBe(sut.hash(ID));
    expect(sut.open(there.seal(ID).cipher)).toBe(ID);
    expect(there.box.keyId).toBe(keyIdOf(NEW));
  });

  describe('configuration of older keys', () => {
    it('takes a comma-separated list and refuses an entry that is not a 32-byte hex key', () => {
      expect(testConfig({ PII_ENCRYPTION_KEYS_OLD: ` ${OLD}, ${'44'.repeat(32)} ,` }).PII_ENCRYPTION_KEYS_OLD).toEqual([
        OLD,
        '44'.repeat(32),
      ]);
      expect(testConfig().PII_ENCRYPTION_KEYS_OLD).toEqual([]);
      expect(() => testConfig({ PII_ENCRYPTION_KEYS_OLD: `${OLD},abc` })).toThrow('PII_ENCRYPTION_KEYS_OLD');
    });

    it('refuses a placeholder among them in production', () => {
      const production = {
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://heihe:pw@db.internal:5432/heihe',
        JWT_SECRET: 'a-real-secret-from-the-vault-0123456789abcdef',
        PII_ENCRYPTION_KEY: NEW,
        PII_HASH_KEY: HASH,
        TOTP_ENCRYPTION_KEY: 'ef'.repeat(32),
        EVIDENCE_URL_KEY: '12'.repeat(32),
        WEBHOOK_SECRET_KEY: '34'.repeat(32),
        WECHAT_APP_SECRET: '0123456789abcdef0123456789abcdef',
      };

      expect(loadConfig({ ...production, PII_ENCRYPTION_KEYS_OLD: OLD }).PII_ENCRYPTION_KEYS_OLD).toEqual([OLD]);
      expect(() => loadConfig({ ...production, PII_ENCRYPTION_KEYS_OLD: `${OLD},${'0'.repeat(63)}1` })).toThrow(
        /PII_ENCRYPTION_KEYS_OLD: placeholder/,
      );
    });
  });
});
