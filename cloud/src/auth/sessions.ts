import crypto from 'node:crypto';
import { appendAudit } from '../audit/audit';
import type { AppConfig } from '../config/config';
import { Database, type Sql } from '../db/database';
import type { SubjectKind } from './tokens';

export interface Subject {
  kind: SubjectKind;
  id: number;
}

export interface Limits {
  idleS: number;
  absoluteS: number;
}

export type RotateResult =
  | { ok: true; subject: Subject; familyId: string; refreshToken: string }
  | { ok: false; reason: 'unknown' | 'revoked' | 'expired' | 'idle' | 'reused' };

type SessionConfig = Pick<
  AppConfig,
  'USER_SESSION_IDLE_S' | 'USER_SESSION_ABSOLUTE_S' | 'STAFF_SESSION_IDLE_S' | 'STAFF_SESSION_ABSOLUTE_S'
>;

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/**
 * Refresh tokens (auth_session). A token is 256 random bits, stored only as its SHA-256. Every
 * refresh spends the token and issues the next one of the same family; presenting a spent token
 * again means it was copied, so the whole family (every device of that sign-in) is revoked. A
 * family also dies when unused for the idle timeout, and at its absolute lifetime, fixed at
 * sign-in. Times are the database's, so all API processes agree.
 */
export class SessionStore {
  private readonly limits: Record<SubjectKind, Limits>;

  constructor(
    private readonly db: Database,
    config: SessionConfig,
  ) {
    this.limits = {
      user: { idleS: config.USER_SESSION_IDLE_S, absoluteS: config.USER_SESSION_ABSOLUTE_S },
      staff: { idleS: config.STAFF_SESSION_IDLE_S, absoluteS: config.STAFF_SESSION_ABSOLUTE_S },
    };
  }

  /** A new family for a sign-in; runs in the caller's transaction with its audit entry. */
  async start(sql: Sql, subject: Subject): Promise<{ familyId: string; refreshToken: string }> {
    const familyId = crypto.randomUUID();
    const refreshToken = crypto.randomBytes(32).toString('base64url');
    await sql.query(
      `INSERT INTO auth_session (id, subject_kind, subject_id, family_id, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))`,
      [
        crypto.randomUUID(),
        subject.kind,
        subject.id,
        familyId,
        hashToken(refreshToken),
        this.limits[subject.kind].absoluteS,
      ],
    );
    return { familyId, refreshToken };
  }

  async rotate(refreshToken: string): Promise<RotateResult> {
    const [row] = await this.db.query<{
      id: string;
      subject_kind: SubjectKind;
      subject_id: number;
      family_id: string;
      rotated: boolean;
      revoked: boolean;
      expired: boolean;
      idle_s: number;
    }>(
      `SELECT id, subject_kind, subject_id, family_id, rotated_at IS NOT NULL AS rotated, revoked_at IS NOT NULL AS revoked,
              expires_at <= now() AS expired, extract(epoch FROM now() - last_used_at)::float8 AS idle_s
       FROM auth_session WHERE token_hash = $1`,
      [hashToken(refreshToken)],
    );
    if (!row) return { ok: false, reason: 'unknown' };
    const subject: Subject = { kind: row.subject_kind, id: row.subject_id };
    if (row.revoked) return { ok: false, reason: 'revoked' };
    if (row.rotated) {
      await this.revokeFamily(this.db, row.family_id, subject, 'auth.refresh_reuse');
      return { ok: false, reason: 'reused' };
    }
    if (row.expired || row.idle_s > this.limits[subject.kind].idleS) {
      await this.revokeFamily(this.db, row.family_id, subject, null);
      return { ok: false, reason: row.expired ? 'expired' : 'idle' };
    }
    const next = crypto.randomBytes(32).toString('base64url');
    const spent = await this.db.tx(async (sql) => {
      // Only one of two concurrent refreshes with the same token may win; the other is a reuse.
      const won = await sql.query(
        `UPDATE auth_session SET rotated_at = now(), last_used_at = now()
         WHERE id = $1 AND rotated_at IS NULL AND revoked_at IS NULL RETURNING id`,
        [row.id],
      );
      if (!won.length) return false;
      await sql.query(
        `INSERT INTO auth_session (id, subject_kind, subject_id, family_id, token_hash, expires_at)
         SELECT $2, subject_kind, subject_id, family_id, $3, expires_at FROM auth_session WHERE id = $1`,
        [row.id, crypto.randomUUID(), hashToken(next)],
      );
      return true;
    });
    if (!spent) {
      await this.revokeFamily(this.db, row.family_id, subject, 'auth.refresh_reuse');
      return { ok: false, reason: 'reused' };
    }
    return { ok: true, subject, familyId: row.family_id, refreshToken: next };
  }

  /** Ends every token of the family; access tokens of it stop working at their next request. */
  async revokeFamily(sql: Sql, familyId: string, subject: Subject, auditAction: string | null): Promise<void> {
    const write = async (q: Sql) => {
      await q.query(`UPDATE auth_session SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`, [
        familyId,
      ]);
      if (auditAction)
        await appendAudit(q, {
          actorKind: 'system',
          actorId: null,
          action: auditAction,
          objectType: 'auth_session',
          objectId: familyId,
          detail: { subjectKind: subject.kind, subjectId: subject.id },
        });
    };
    if (sql instanceof Database) await sql.tx(write);
    else await write(sql);
  }
}
