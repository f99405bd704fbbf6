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
  | 'USER_SESSION_IDLE_S'
  | 'USER_SESSION_ABSOLUTE_S'
  | 'STAFF_SESSION_IDLE_S'
  | 'STAFF_SESSION_ABSOLUTE_S'
  | 'REFRESH_REUSE_GRACE_S'
  | 'JWT_SECRET'
>;

interface SessionRow {
  id: string;
  subject_kind: SubjectKind;
  subject_id: number;
  family_id: string;
  rotated: boolean;
  revoked: boolean;
  expired: boolean;
  idle_s: number;
}

const SESSION_STATE = `id, subject_kind, subject_id, family_id, rotated_at IS NOT NULL AS rotated,
  revoked_at IS NOT NULL AS revoked, expires_at <= now() AS expired,
  extract(epoch FROM now() - last_used_at)::float8 AS idle_s`;

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/**
 * Refresh tokens (auth_session). A sign-in's token is 256 random bits; every token is stored only
 * as its SHA-256. Every refresh spends the token and issues the next one of the same family;
 * presenting a spent token again means it was copied, so the whole family (every device of that
 * sign-in) is revoked. A family also dies when unused for the idle timeout, and at its absolute
 * lifetime, fixed at sign-in. Times are the database's, so all API processes agree.
 *
 * Two refreshes fired together (two tabs, a request retried after a lost answer) are not theft:
 * for REFRESH_REUSE_GRACE_S after a rotation, the just-spent token gets the same successor again,
 * as long as that successor is still unspent. Later, or once the successor was spent, it is reuse.
 *
 * Why the successor is derived rather than stored: a successor is HMAC(key, spent token), so the
 * second request re-derives the very token the first one got, from what it presents, and finds
 * its row by hash. Nothing that can be turned back into a live token is kept at rest (a stored
 * successor, even encrypted, would be one more secret in the table), no column is needed, and
 * only a holder of the spent token and the server key can compute it. A sibling token instead
 * would leave two live branches in the family, and a thief's branch would never trip reuse
 * detection; with one successor, whichever holder refreshes second after the window revokes all.
 */
export class SessionStore {
  private readonly limits: Record<SubjectKind, Limits>;
  private readonly graceS: number;
  private readonly successorKey: crypto.KeyObject;

  constructor(
    private readonly db: Database,
    config: SessionConfig,
  ) {
    this.limits = {
      user: { idleS: config.USER_SESSION_IDLE_S, absoluteS: config.USER_SESSION_ABSOLUTE_S },
      staff: { idleS: config.STAFF_SESSION_IDLE_S, absoluteS: config.STAFF_SESSION_ABSOLUTE_S },
    };
    this.graceS = config.REFRESH_REUSE_GRACE_S;
    // Its own key, derived from the JWT secret: rotating that secret ends every session anyway.
    this.successorKey = crypto.createSecretKey(
      Buffer.from(crypto.hkdfSync('sha256', config.JWT_SECRET, '', 'heihe refresh-token successor', 32)),
    );
  }

  /** The one token that may follow `refreshToken` in its family. */
  private successorOf(refreshToken: string): string {
    return crypto.createHmac('sha256', this.successorKey).update(refreshToken).digest('base64url');
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

  /**
   * Spends a refresh token for its successor. One transaction, with the presented token's row
   * locked (FOR UPDATE): concurrent refreshes with one token queue on that lock, the first
   * rotates, and the others then see the rotation and its successor's committed row.
   */
  async rotate(refreshToken: string): Promise<RotateResult> {
    return this.db.tx(async (sql) => {
      const [row] = await sql.query<SessionRow & { in_grace: boolean }>(
        `SELECT ${SESSION_STATE}, rotated_at > now() - make_interval(secs => $2) AS in_grace
         FROM auth_session WHERE token_hash = $1 FOR UPDATE`,
        [hashToken(refreshToken), this.graceS],
      );
      if (!row) return { ok: false, reason: 'unknown' };
      const subject: Subject = { kind: row.subject_kind, id: row.subject_id };
      if (row.revoked) return { ok: false, reason: 'revoked' };
      const next = this.successorOf(refreshToken);
      if (row.rotated) {
        // With the grace off, skip it: now() is when this transaction began, maybe before the rotation.
        if (this.graceS > 0 && row.in_grace) {
          const [successor] = await sql.query<SessionRow>(
            `SELECT ${SESSION_STATE} FROM auth_session WHERE token_hash = $1 AND family_id = $2 FOR UPDATE`,
            [hashToken(next), row.family_id],
          );
          if (successor && !successor.rotated && !successor.revoked && !this.ended(successor, subject))
            return { ok: true, subject, familyId: row.family_id, refreshToken: next };
        }
        await this.revokeFamily(sql, row.family_id, subject, 'auth.refresh_reuse');
        return { ok: false, reason: 'reused' };
      }
      if (this.ended(row, subject)) {
        await this.revokeFamily(sql, row.family_id, subject, null);
        return { ok: false, reason: row.expired ? 'expired' : 'idle' };
      }
      await sql.query(`UPDATE auth_session SET rotated_at = now(), last_used_at = now() WHERE id = $1`, [row.id]);
      await sql.query(
        `INSERT INTO auth_session (id, subject_kind, subject_id, family_id, token_hash, expires_at)
         SELECT $2, subject_kind, subject_id, family_id, $3, expires_at FROM auth_session WHERE id = $1`,
        [row.id, crypto.randomUUID(), hashToken(next)],
      );
      return { ok: true, subject, familyId: row.family_id, refreshToken: next };
    });
  }

  private ended(row: SessionRow, subject: Subject): boolean {
    return row.expired || row.idle_s > this.limits[subject.kind].idleS;
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
