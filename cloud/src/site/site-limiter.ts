import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Clock } from '../common/clock';
import { IpRateLimiter } from './rate-limit';

/** The address a public request is counted by: the socket's, unless Express trusts a proxy. */
export function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** One limiter per app, shared by the site's API and its pages. */
@Injectable()
export class SiteLimiter extends IpRateLimiter {
  constructor(clock: Clock) {
    super(() => clock.now().getTime());
  }
}
