import crypto from 'node:crypto';

/**
 * AES-256-GCM for small secrets at rest (staff TOTP secrets), in the same `v1:` format as the
 * PiiVault's ID numbers. The key is made once.
 */
export class SecretBox {
  private readonly key: crypto.KeyObject;

  constructor(keyHex: string) {
    this.key = crypto.createSecretKey(Buffer.from(keyHex, 'hex'));
  }

  seal(clear: string): string {
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(clear, 'utf8'), c.final()]);
    return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
  }

  open(sealed: string): string {
    const [v, b64] = sealed.split(':');
    if (v !== 'v1' || !b64) throw new Error('unknown ciphertext version');
    const raw = Buffer.from(b64, 'base64');
    const d = crypto.createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  }
}
