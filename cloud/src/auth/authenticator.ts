import crypto from 'node:crypto';
import type { Database } from '../db/database';
import type { Principal, StaffRole } from './principal';
import type { TokenService } from './tokens';

export function hashApiKey(key: string): string {
  return crypto.createHash('sha256').update(key).digest('hex');
}

const STAFF_ROLES: ReadonlySet<string> = new Set<StaffRole>(['reviewer', 'admin', 'investment_officer']);

/**
 * Turns credentials into a Principal, per request. An access token is only half of it: the
 * sign-in (refresh family) must still be live, so logout and refresh-token reuse end access
 * tokens at once, and a user's enterprises are the bindings still valid now: revoked ones and
 * those of a legal representative who has since been replaced do not count.
 */
export class Authenticator {
  constructor(
    private readonly db: Database,
    private readonly tokens: TokenService,
  ) {}

  async fromBearer(token: string): Promise<Principal | null> {
    const c = this.tokens.verifyAccess(token);
    if (!c) return null;
    const live = `EXISTS (SELECT 1 FROM auth_session s WHERE s.family_id = $2 AND s.subject_kind = $3 AND s.subject_id = $1
                   AND s.rotated_at IS NULL AND s.revoked_at IS NULL AND s.expires_at > now())`;
    if (c.kind === 'user') {
      const [u] = await this.db.query<{ id: number; live: boolean; entity_ids: number[] }>(
        `SELECT u.id, ${live} AS live,
                coalesce((SELECT array_agg(b.entity_id ORDER BY b.entity_id) FROM enterprise_binding b
                          JOIN entity e ON e.id = b.entity_id AND e.legal_rep_id = b.person_id
                          WHERE b.user_id = u.id AND b.revoked_at IS NULL), '{}') AS entity_ids
         FROM app_user u WHERE u.id = $1`,
        [c.subjectId, c.sessionId, 'user'],
      );
      if (!u?.live) return null;
      return { kind: 'user', userId: u.id, sessionId: c.sessionId, entityIds: u.entity_ids.map(Number) };
    }
    const [s] = await this.db.query<{ id: number; username: string; role: string; live: boolean }>(
      `SELECT a.id, a.username, a.role, ${live} AS live FROM staff_account a WHERE a.id = $1 AND a.disabled_at IS NULL`,
      [c.subjectId, c.sessionId, 'staff'],
    );
    if (!s?.live || !STAFF_ROLES.has(s.role)) return null;
    return { kind: 'staff', staffId: s.id, sessionId: c.sessionId, role: s.role as StaffRole, username: s.username };
  }

  async fromApiKey(key: string): Promise<Principal | null> {
    const [client] = await this.db.query<{ id: number; name: string; scopes: string[] | null }>(
      `SELECT id, name, scopes FROM api_client WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hashApiKey(key)],
    );
    if (!client) return null;
    return { kind: 'api_client', clientId: client.id, name: client.name, scopes: client.scopes ?? [] };
  }
}
