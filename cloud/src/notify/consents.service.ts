import { Injectable } from '@nestjs/common';
import { Database } from '../db/database';

/** Unused acceptances kept per user and template; WeChat itself caps what a user can stack up. */
const MAX_UNUSED = 50;

/** Users' one-time acceptances of subscribe-message templates; messageUser consumes them. */
@Injectable()
export class ConsentsService {
  constructor(private readonly db: Database) {}

  /** Records one acceptance per template ID (repeats included), up to MAX_UNUSED unused each; returns how many. */
  async record(userId: number, templateIds: readonly string[], at: Date): Promise<number> {
    const consents = this.db.prisma.subscribeConsent;
    let recorded = 0;
    for (const templateId of templateIds) {
      const unused = await consents.count({ where: { userId, templateId, usedAt: null } });
      if (unused >= MAX_UNUSED) continue;
      await consents.create({ data: { userId, templateId, grantedAt: at } });
      recorded++;
    }
    return recorded;
  }
}
