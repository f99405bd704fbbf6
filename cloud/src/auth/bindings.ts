import type { Binding } from '@heihe/shared';
import type { Sql } from '../db/database';

const iso = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();

/**
 * The enterprises a user acts for now: bindings not revoked, made by the person who is still the
 * registered legal representative. A new legal representative (a later registration record)
 * ends the old one's access without anyone touching the binding.
 */
export async function activeBindings(sql: Sql, userId: number): Promise<Binding[]> {
  const rows = await sql.query<{
    entity_id: number;
    uscc: string;
    name: string;
    method: Binding['method'];
    bound_at: unknown;
  }>(
    `SELECT e.id AS entity_id, e.uscc, e.name, b.method, b.bound_at
     FROM enterprise_binding b JOIN entity e ON e.id = b.entity_id AND e.legal_rep_id = b.person_id
     WHERE b.user_id = $1 AND b.revoked_at IS NULL ORDER BY e.id`,
    [userId],
  );
  return rows.map((r) => ({
    entityId: r.entity_id,
    uscc: r.uscc,
    name: r.name,
    method: r.method,
    boundAt: iso(r.bound_at),
  }));
}
