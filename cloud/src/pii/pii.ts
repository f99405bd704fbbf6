import crypto from 'node:crypto';
import { maskIdNumber, normalizeIdNumber } from '@heihe/shared';

export interface SealedIdNumber {
  cipher: string;
  hash: string;
  masked: string;
}

/**
 * ID numbers are sensitive personal information (PIPL Art. 28): stored only as AES-256-GCM
 * ciphertext, looked up by keyed hash, shown masked. Keys are made once.
 */
export class PiiVault {
  private readonly encKey: crypto.KeyObject;
  private readonly hashKey: crypto.KeyObject;

  constructor(encryptionKeyHex: string, hashKeyHex: string) {
    this.encKey = crypto.createSecretKey(Buffer.from(encryptionKeyHex, 'hex'));
    this.hashKey = crypto.createSecretKey(Buffer.from(hashKeyHex, 'hex'));
  }

  /** The same vault in a worker thread of this process (KeyObjects cross threads by postMessage). */
  forWorker(): { encKey: crypto.KeyObject; hashKey: crypto.KeyObject } {
    return { encKey: this.encKey, hashKey: this.hashKey };
  }

  static fromWorker(keys: { encKey: crypto.KeyObject; hashKey: crypto.KeyObject }): PiiVault {
    return new PiiVault(keys.encKey.export().toString('hex'), keys.hashKey.export().toString('hex'));
  }

  hash(idNumber: string): string {
    return crypto.createHmac('sha256', this.hashKey).update(normalizeIdNumber(idNumber)).digest('hex');
  }

  seal(idNumber: string): SealedIdNumber {
    const clear = normalizeIdNumber(idNumber);
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([c.update(clear, 'utf8'), c.final()]);
    const cipher = `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
    return { cipher, hash: this.hash(clear), masked: maskIdNumber(clear) };
  }

  open(cipher: string): string {
    const [v, b64] = cipher.split(':');
    if (v !== 'v1' || !b64) throw new Error('unknown ciphertext version');
    const raw = Buffer.from(b64, 'base64');
    const d = crypto.createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  }
}
