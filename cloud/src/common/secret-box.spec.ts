import crypto from 'node:crypto';
import { keyIdOf, SecretBox, SecretBoxError } from './secret-box';

const OLD = '11'.repeat(32);
const NEW = '22'.repeat(32);
const OTHER = '33'.repeat(32);

/** A value as the boxes before key ids sealed it: `v1:<base64(iv | tag | ciphertext)>`, no AAD. */
function legacySeal(keyHex: string, clear: string): string {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), iv);
  const body = Buffer.concat([c.update(clear, 'utf8'), c.final()]);
  return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
}

function failure(f: () => unknown): SecretBoxError {
  try {
    f();
  } catch (e) {
    if (e instanceof SecretBoxError) return e;
    throw e;
  }
  throw new Error('expected a SecretBoxError');
}

/** The same sealed value with one bit of its data flipped. */
function flipBit(sealed: string, byte: number): string {
  const i = sealed.lastIndexOf(':') + 1;
  const raw = Buffer.from(sealed.slice(i), 'base64');
  raw[byte]! ^= 1;
  return sealed.slice(0, i) + raw.toString('base64');
}

describe('SecretBox', () => {
  it('seals with the current key id in the header and opens what it sealed', () => {
    const sut = new SecretBox(NEW, [OLD]);

    const sealed = sut.seal('110101199003070011');

    expect(sealed).toMatch(new RegExp(`^v2:${keyIdOf(NEW)}:[A-Za-z0-9+/=]+$`));
    expect(sealed).not.toContain('110101199003070011');
    expect(sut.open(sealed)).toBe('110101199003070011');
    expect(sut.keyIdIn(sealed)).toBe(sut.keyId);
  });

  it('derives a stable 8-hex key id from the key alone', () => {
    expect(keyIdOf(NEW)).toMatch(/^[0-9a-f]{8}$/);
    expect(keyIdOf(NEW)).toBe(keyIdOf(NEW.toUpperCase()));
    expect(keyIdOf(NEW)).not.toBe(keyIdOf(OLD));
    expect(new SecretBox(NEW).keyId).toBe(keyIdOf(NEW));
  });

  it('opens a value from before key ids, sealed with the current key', () => {
    const sut = new SecretBox(OLD);

    expect(sut.open(legacySeal(OLD, 'JBSWY3DPEHPK3PXP'))).toBe('JBSWY3DPEHPK3PXP');
  });

  it('opens a value from before key ids after its key became an older one', () => {
    const sut = new SecretBox(NEW, [OLD]);

    expect(sut.open(legacySeal(OLD, '11010119900307001X'))).toBe('11010119900307001X');
  });

  it('opens a value sealed with a key that has since rotated to older', () => {
    const sealed = new SecretBox(OLD).seal('230102198805051234');

    const sut = new SecretBox(NEW, [OLD]);

    expect(sut.open(sealed)).toBe('230102198805051234');
    expect(sut.keyIdIn(sealed)).toBe(keyIdOf(OLD));
  });

  it('reseals an older or legacy value with the current key, and leaves a current one as it is', () => {
    const sut = new SecretBox(NEW, [OLD]);
    const current = sut.seal('c');

    const fromOld = sut.reseal(new SecretBox(OLD).seal('a'));
    const fromLegacy = sut.reseal(legacySeal(OLD, 'b'));

    expect([sut.keyIdIn(fromOld), sut.keyIdIn(fromLegacy)]).toEqual([sut.keyId, sut.keyId]);
    expect([new SecretBox(NEW).open(fromOld), new SecretBox(NEW).open(fromLegacy)]).toEqual(['a', 'b']);
    expect(sut.reseal(current)).toBe(current);
  });

  it('names the key id it does not have', () => {
    const sealed = new SecretBox(OTHER).seal('x');

    const e = failure(() => new SecretBox(NEW, [OLD]).open(sealed));

    expect(e.reason).toBe('unknown-key');
    expect(e.message).toContain(keyIdOf(OTHER));
    expect(e.message).toContain(keyIdOf(NEW));
  });

  it.each([
    ['the IV', 0],
    ['the tag', 12],
    ['the ciphertext', 28],
  ])('refuses a value with a bit of %s flipped', (_, byte) => {
    const sut = new SecretBox(NEW);

    expect(failure(() => sut.open(flipBit(sut.seal('230102198805051234'), byte))).reason).toBe('not-authentic');
    expect(failure(() => sut.open(flipBit(legacySeal(NEW, '230102198805051234'), byte))).reason).toBe('not-authentic');
  });

  it('refuses a value whose key id was swapped for another key of the ring', () => {
    const sut = new SecretBox(NEW, [OLD]);
    const sealed = sut.seal('x');

    const swapped = sealed.replace(`:${keyIdOf(NEW)}:`, `:${keyIdOf(OLD)}:`);

    expect(failure(() => sut.open(swapped)).reason).toBe('not-authentic');
  });

  it('refuses a legacy value none of its keys opens', () => {
    expect(failure(() => new SecretBox(NEW, [OLD]).open(legacySeal(OTHER, 'x'))).reason).toBe('not-authentic');
  });

  it.each(['', 'x', 'v1:', 'v1:AAAA', 'v2:zz:AAAA', `v2:${keyIdOf(NEW)}`, 'v3:0011aabb:AAAA', 'v2:a:b:c'])(
    'refuses %j as malformed',
    (sealed) => {
      expect(failure(() => new SecretBox(NEW).open(sealed)).reason).toBe('malformed');
    },
  );

  it('crosses to a worker as its keys and seals and opens alike there', () => {
    const sut = new SecretBox(NEW, [OLD]);

    const there = SecretBox.fromWorker(sut.forWorker());

    expect(there.keyId).toBe(sut.keyId);
    expect(there.keyIds).toEqual(sut.keyIds);
    expect(sut.open(there.seal('y'))).toBe('y');
    expect(there.open(legacySeal(OLD, 'z'))).toBe('z');
  });

  it('takes the current key listed among the older ones, and refuses a key that is not 32 bytes', () => {
    expect(new SecretBox(NEW, [NEW, OLD]).keyIds).toEqual([keyIdOf(NEW), keyIdOf(OLD)]);
    expect(() => new SecretBox('abcd')).toThrow(/64 hex/);
  });
});
