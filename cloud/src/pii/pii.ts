import crypto from 'node:crypto';
import { maskIdNumber, normalizeIdNumber } from '@heihe/shared';
import { SecretBox, type SecretBoxKeys } from '../common/secret-box';
import type { AppConfig } from '../config/config';

export interface SealedIdNumber {
  cipher: string;
  hash: string;
  masked: string;
}

/**
 * ID numbers are sensitive personal information (PIPL Art. 28): stored only as AES-256-GCM
 * ciphertext (a SecretBox, whose keys rotate), looked up by keyed hash, shown masked.
 *
 * The hash key does not rotate like the encryption key. A lookup hashes the submitted number and
 * compares it with `person.id_number_hash`, so every stored hash must be made with the key lookups
 * use: a second hash key would mean a second hash column, filled by decrypting every number, and
 * lookups under both until it is full. Its protection is that it is kept apart from the database;
 * should it leak, the remedy is that migration, not a config change (ADR 0012).
 */
export class PiiVault {
  /** The box that seals ID numbers; its key id is the one rekeying moves every row to. */
  readonly box: SecretBox;
  private readonly hashKey: crypto.KeyObject;

  constructor(encryption: string | SecretBox, hashKeyHex: string | crypto.KeyObject) {
    this.box = typeof encryption === 'string' ? new SecretBox(encryption) : encryption;
    this.hashKey = typeof hashKeyHex === 'string' ? crypto.createSecretKey(Buffer.from(hashKeyHex, 'hex')) : hashKeyHex;
  }

  /** The vault of this configuration: the current encryption key and the older ones it still opens. */
  static fromConfig(
    config: Pick<AppConfig, 'PII_ENCRYPTION_KEY' | 'PII_ENCRYPTION_KEYS_OLD' | 'PII_HASH_KEY'>,
  ): PiiVault {
    return new PiiVault(new SecretBox(config.PII_ENCRYPTION_KEY, config.PII_ENCRYPTION_KEYS_OLD), config.PII_HASH_KEY);
  }

  /** The same vault in a worker thread of this process (KeyObjects cross threads by postMessage). */
  forWorker(): { box: SecretBoxKeys; hashKey: crypto.KeyObject } {
    return { box: this.box.forWorker(), hashKey: this.hashKey };
  }

  static fromWorker(keys: { box: SecretBoxKeys; hashKey: crypto.KeyObject }): PiiVault {
    return new PiiVault(SecretBox.fromWorker(keys.box), keys.hashKey);
  }

  hash(idNumber: string): string {
    return crypto.createHmac('sha256', this.hashKey).update(normalizeIdNumber(idNumber)).digest('hex');
  }

  seal(idNumber: string): SealedIdNumber {
    const clear = normalizeIdNumber(idNumber);
    return { cipher: this.box.seal(clear), hash: this.hash(clear), masked: maskIdNumber(clear) };
  }

  open(cipher: string): string {
    return this.box.open(cipher);
  }
}
