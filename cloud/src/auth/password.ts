import crypto from 'node:crypto';

/**
 * Staff passwords: scrypt (memory-hard, in node:crypto) with a per-password random salt. The
 * parameters travel in the stored string, so they can be raised later and old hashes still verify
 * (`needsRehash` says when to re-hash at the next successful sign-in).
 *
 * Stored form: `scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>`.
 */
export interface ScryptParams {
  /** log2 of the CPU/memory cost N; memory is 128 · N · r bytes (2^15 · 8 → 32 MiB). */
  log2N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { log2N: 15, r: 8, p: 1 };
const KEY_LEN = 32;
const SALT_LEN = 16;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.log2N;
  const maxmem = 128 * N * params.r * params.p + 16 * 1024 * 1024;
  return new Promise((resolve, reject) =>
    crypto.scrypt(password.normalize('NFKC'), salt, KEY_LEN, { N, r: params.r, p: params.p, maxmem }, (e, key) =>
      e ? reject(e) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = crypto.randomBytes(SALT_LEN);
  const key = await derive(password, salt, params);
  return ['scrypt', params.log2N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [log2N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![log2N, r, p].every((n) => Number.isInteger(n) && n > 0) || log2N > 22) return null;
  return { params: { log2N, r, p }, salt: Buffer.from(parts[4]!, 'base64'), key: Buffer.from(parts[5]!, 'base64') };
}

/** Constant-time comparison; a malformed stored hash never verifies. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const s = parse(stored);
  if (!s || s.key.length !== KEY_LEN) return false;
  const key = await derive(password, s.salt, s.params);
  return crypto.timingSafeEqual(key, s.key);
}

export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT): boolean {
  const s = parse(stored);
  return !s || s.params.log2N < params.log2N || s.params.r < params.r || s.params.p < params.p;
}

/**
 * Spends the same work as a real check, for a username that does not exist: the response time
 * must not tell which usernames do.
 */
let dummy: Promise<string> | null = null;
export async function burnPasswordCheck(password: string): Promise<false> {
  dummy ??= hashPassword('not-a-password');
  await verifyPassword(password, await dummy);
  return false;
}
