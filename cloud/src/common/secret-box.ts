import crypto from 'node:crypto';

/** A 32-byte AES key, as 64 hex characters or as a KeyObject (KeyObjects cross worker threads). */
export type BoxKey = string | crypto.KeyObject;

/** Why a ciphertext did not open; callers and operators tell the cases apart by `reason`. */
export type SecretBoxFailure = 'malformed' | 'unknown-key' | 'not-authentic';

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
  constructor(
    readonly reason: SecretBoxFailure,
    message: string,
  ) {
    super(message);
  }
}

const VERSION = 'v2';
/** The format before key ids: `v1:<base64(iv | tag | ciphertext)>`, sealed with an unnamed key. */
const LEGACY = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[0-9a-f]{8}$/;

function keyObject(key: BoxKey): crypto.KeyObject {
  if (typeof key !== 'string') return key;
  if (!/^[0-9a-f]{64}$/i.test(key)) throw new Error('a secret box key is 64 hex characters (32 bytes)');
  return crypto.createSecretKey(Buffer.from(key, 'hex'));
}

/**
 * A key's id: the first 8 hex characters of a labelled SHA-256 of the key. It is derived, not
 * configured, so the same key always has the same id and a configuration cannot pair a key with
 * the wrong id. 32 bits name a key among the few in a keyring and say nothing useful about it.
 */
export function keyIdOf(key: BoxKey): string {
  return crypto
    .createHash('sha256')
    .update('heihe secret-box key id\0')
    .update(keyObject(key).export())
    .digest('hex')
    .slice(0, 8);
}

/** The keys a box is made from, in the form that crosses to a worker thread by postMessage. */
export interface SecretBoxKeys {
  current: crypto.KeyObject;
  older: crypto.KeyObject[];
}

/**
 * AES-256-GCM for small secrets at rest: ID numbers (PiiVault), staff TOTP secrets, webhook
 * signing secrets. One box per purpose, each with its own keyring.
 *
 * A ciphertext is `v2:<key id>:<base64(12-byte IV | 16-byte tag | ciphertext)>`, with `v2:<key id>`
 * as additional authenticated data. The box seals with its current key and opens anything sealed
 * with a key in its keyring, so a key rotates by making the new key current and keeping the old one
 * as older until every stored value is resealed (`npm run admin -- pii-rekey` for ID numbers).
 * Values stored before key ids (`v1:<base64>`) still open: the box tries its keys in turn, and
 * GCM's tag tells which one sealed the value.
 */
export class SecretBox {
  /** The id of the key new values are sealed with. */
  readonly keyId: string;
  private readonly current: crypto.KeyObject;
  private readonly keys = new Map<string, crypto.KeyObject>();

  constructor(current: BoxKey, older: readonly BoxKey[] = []) {
    this.current = keyObject(current);
    this.keyId = keyIdOf(this.current);
    for (const k of [this.current, ...older.map(keyObject)]) {
      const id = keyIdOf(k);
      const known = this.keys.get(id);
      // The current key listed again among the older ones is harmless; two keys with one id are not.
      if (known && !known.equals(k)) throw new Error(`two keys in one keyring have the id ${id}`);
      this.keys.set(id, k);
    }
  }

  forWorker(): SecretBoxKeys {
    return { current: this.current, older: [...this.keys.values()].filter((k) => k !== this.current) };
  }

  static fromWorker(keys: SecretBoxKeys): SecretBox {
    return new SecretBox(keys.current, keys.older);
  }

  /** The ids this box opens, current first. */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  seal(clear: string): string {
    const header = `${VERSION}:${this.keyId}`;
    const iv = crypto.randomBytes(IV_BYTES);
    const c = crypto.createCipheriv('aes-256-gcm', this.current, iv);
    c.setAAD(Buffer.from(header));
    const body = Buffer.concat([c.update(clear, 'utf8'), c.final()]);
    return `${header}:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
  }

  open(sealed: string): string {
    const parts = sealed.split(':');
    if (parts[0] === LEGACY && parts.length === 2) return this.openLegacy(this.raw(parts[1]!));
    if (parts[0] !== VERSION || parts.length !== 3 || !KEY_ID.test(parts[1]!))
      throw new SecretBoxError('malformed', 'not a sealed value: expected v2:<key id>:<data> or v1:<data>');
    const keyId = parts[1]!;
    const key = this.keys.get(keyId);
    if (!key)
      throw new SecretBoxError(
        'unknown-key',
        `sealed with key ${keyId}, which is not in this keyring (${this.keyIds.join(', ')}): configure that key as an older key`,
      );
    const clear = decrypt(key, this.raw(parts[2]!), `${VERSION}:${keyId}`);
    if (clear === null)
      throw new SecretBoxError('not-authentic', `value sealed with key ${keyId} fails authentication`);
    return clear;
  }

  /** The key id a value was sealed with; null for a value from before key ids. */
  keyIdIn(sealed: string): string | null {
    const [v, id] = sealed.split(':');
    return v === VERSION && id !== undefined ? id : null;
  }

  /** The value sealed with the current key: itself when it already is, else opened and sealed again. */
  reseal(sealed: string): string {
    return this.keyIdIn(sealed) === this.keyId ? sealed : this.seal(this.open(sealed));
  }

  private raw(b64: string): Buffer {
    const raw = Buffer.from(b64, 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('malformed', 'sealed value is truncated');
    return raw;
  }

  private openLegacy(raw: Buffer): string {
    for (const key of this.keys.values()) {
      const clear = decrypt(key, raw, null);
      if (clear !== null) return clear;
    }
    throw new SecretBoxError(
      'not-authentic',
      `value without a key id opens with none of the keys ${this.keyIds.join(', ')}: tampered, or sealed with a key not configured`,
    );
  }
}

/** The clear text, or null when the tag does not verify under this key. */
function decrypt(key: crypto.KeyObject, raw: Buffer, aad: string | null): string | null {
  const d = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  if (aad !== null) d.setAAD(Buffer.from(aad));
  d.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([d.update(raw.subarray(IV_BYTES + TAG_BYTES)), d.final()]).toString('utf8');
  } catch {
    return null;
  }
}
