import type { Prisma } from '../generated/prisma/client';
import { dateOfDay } from '../db/values';

/**
 * The credit gate (信用门槛) of the results in use: a current record that bars an entity whatever
 * its grade — a 严重失信主体名单 listing or a serious administrative penalty, counting as the
 * engine counts (active or under objection, and in its window on the day). The green channel
 * refuses every measure on it, and the 诚信主体 list admits no one with it.
 */
export function seriousRecordWhere(day: string): Prisma.CreditRecordVersionWhereInput {
  const d = dateOfDay(day);
  return {
    supersededAt: null,
    status: { in: ['active', 'under_objection'] },
    validFrom: { lte: d },
    OR: [{ validTo: null }, { validTo: { gt: d } }],
    AND: [{ OR: [{ kind: 'dishonesty_listing' }, { kind: 'penalty', severity: 'serious' }] }],
  };
}
