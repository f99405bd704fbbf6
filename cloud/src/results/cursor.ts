import crypto from 'node:crypto';
import { AppError, ErrorCodes } from '@heihe/shared';

/** A position in the result feed: the inserting transaction and the event's sequence number. */
export interface FeedPosition {
  tx: string;
  seq: string;
}

export const FEED_START: FeedPosition = { tx: '0', seq: '0' };

function mac(key: string, clientId: number, p: FeedPosition): string {
  return crypto
    .createHmac('sha256', key)
    .update(`result-feed\n${clientId}\n${p.tx}\n${p.seq}`)
    .digest('base64url')
    .slice(0, 22);
}

/** `<tx>_<seq>_<mac>`: the MAC binds the position to the client it was issued to. */
export function encodeFeedCursor(key: string, clientId: number, p: FeedPosition): string {
  return `${p.tx}_${p.seq}_${mac(key, clientId, p)}`;
}

/** A cursor issued to another client, or altered, is refused like a malformed one. */
export function decodeFeedCursor(key: string, clientId: number, cursor: string | undefined): FeedPosition {
  if (cursor === undefined) return FEED_START;
  const m = /^(\d{1,20})_(\d{1,19})_([A-Za-z0-9_-]{22})$/.exec(cursor);
  const p = m ? { tx: m[1]!, seq: m[2]! } : null;
  if (
    !p ||
    BigInt(p.tx) >= 2n ** 64n ||
    BigInt(p.seq) >= 2n ** 63n ||
    !crypto.timingSafeEqual(Buffer.from(m![3]!), Buffer.from(mac(key, clientId, p)))
  )
    throw new AppError(ErrorCodes.VALIDATION_FAILED, '分页游标无效或不属于本客户端');
  return p;
}
