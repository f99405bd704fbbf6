import type { Binding } from '@heihe/shared';
import type { Database } from '../db/database';

/**
 * The enterprises a user acts for now: bindings not revoked, made by the person who is still the
 * registered legal representative. A new legal representative (a later registration record)
 * ends the old one's access without anyone touching the binding. The same rule gives a caller's
 * `entityIds` in `Authenticator.fromBearer`; identity verification writes the bindings.
 *
 * Read inside a transaction, it sees that transaction's bindings (see db/transaction.ts).
 */
export async function activeBindings(db: Pick<Database, 'prisma'>, userId: number): Promise<Binding[]> {
  const bindings = await db.prisma.enterpriseBinding.findMany({
    where: { userId, revokedAt: null },
    select: { entityId: true, personId: true, method: true, boundAt: true },
  });
  if (!bindings.length) return [];
  const entities = await db.prisma.entity.findMany({
    where: { id: { in: bindings.map((b) => b.entityId) } },
    select: { id: true, uscc: true, name: true, legalRepId: true },
    orderBy: { id: 'asc' },
  });
  const byEntity = new Map(bindings.map((b) => [b.entityId, b]));
  return entities.flatMap((e) => {
    const b = byEntity.get(e.id)!;
    if (e.legalRepId !== b.personId) return [];
    return [
      {
        entityId: e.id,
        uscc: e.uscc,
        name: e.name,
        method: bindingMethod(b.method),
        boundAt: b.boundAt.toISOString(),
      },
    ];
  });
}

/** The column holds what identity verification wrote: one of the two methods of ADR 0003. */
export function bindingMethod(method: string): Binding['method'] {
  if (method === 'three_elements' || method === 'three_elements_face') return method;
  throw new Error(`enterprise_binding.method ${method} is not a binding method`);
}
