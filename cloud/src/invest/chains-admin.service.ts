import { Injectable } from '@nestjs/common';
import { AppError, ErrorCodes } from '@heihe/shared';
import { actorOf, type Principal } from '../auth';
import { Clock } from '../common/clock';
import { Database } from '../db/database';
import { auditList } from './lists-support';

/**
 * The key chains' mapping onto GB/T 4754 (issue 16, item 9), edited by administrators: the codes'
 * shape is checked by the shared schema (section, division in its section's range, group, class);
 * the change and its reason, with the prefixes before and after, go into the audit trail in the
 * same transaction.
 */
@Injectable()
export class ChainsAdminService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async update(code: string, b: { name: string; prefixes: string[]; reason: string }, who: Principal) {
    const now = this.clock.now();
    const by = actorOf(who).actorId;
    return this.db.tx(async (sql) => {
      const before = await sql.prisma.industryChain.findUnique({ where: { code } });
      if (!before) throw new AppError(ErrorCodes.NOT_FOUND, '产业链不存在');
      const after = await sql.prisma.industryChain.update({
        where: { code },
        data: { name: b.name, prefixes: b.prefixes, updatedAt: now, updatedBy: by },
      });
      await auditList(sql, now, who, {
        action: 'invest.chain.update',
        objectType: 'industry_chain',
        objectId: code,
        purpose: b.reason,
        detail: {
          before: { name: before.name, prefixes: before.prefixes },
          after: { name: after.name, prefixes: after.prefixes },
        },
      });
      return {
        code: after.code,
        name: after.name,
        prefixes: after.prefixes,
        updatedAt: after.updatedAt.toISOString(),
        updatedBy: after.updatedBy,
      };
    });
  }
}
