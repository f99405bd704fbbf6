import crypto from 'node:crypto';

/**
 * Webhook signatures, in the style regulators' developers know from payment providers:
 *
 *   X-Heihe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 *
 * The timestamp is signed with the body, so a receiver can refuse replays older than its
 * tolerance. `X-Heihe-Message-Id` is the de-duplication key: a message can arrive more than once
 * (at-least-once delivery), never with a different body.
 */
export const SIGNATURE_HEADER = 'X-Heihe-Signature';
export const MESSAGE_ID_HEADER = 'X-Heihe-Message-Id';
export const TOPIC_HEADER = 'X-Heihe-Topic';
export const ATTEMPT_HEADER = 'X-Heihe-Attempt';

export function signWebhook(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/** For receivers (and tests): true when the header signs this body within `toleranceS` of `now`. */
export function verifyWebhook(
  secret: string,
  header: string | undefined,
  body: string,
  now: Date,
  toleranceS = 300,
): boolean {
  if (!header) return false;
  const parts = new Map(header.split(',').map((kv) => kv.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(now.getTime() / 1000 - t) > toleranceS) return false;
  const expected = crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return v1.length === expected.length && crypto.timingSafeEqual(Buffer.from(v1), Buffer.from(expected));
}

/** A new signing secret: 32 random bytes, shown once to the department. */
export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64url')}`;
}
