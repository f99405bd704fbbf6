import crypto from 'node:crypto';
import { appendAudit } from '../audit';
import type { Clock } from '../common/clock';
import type { AppConfig } from '../config/config';
import type { Database } from '../db/database';
import type { AuthSession } from '../generated/prisma/client';
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

/** The presented token's row, locked: what `rotate` decides on. */
type SessionRow = Pick<
  AuthSession,
  'id' | 'subjectKind' | 'subjectId' | 'familyId' | 'lastUsedAt' | 'expiresAt' | 'rotatedAt' | 'revokedAt'
>;

// Raw SQL: the row lock (FOR UPDATE) that queues concurrent refreshes of one token; the client cannot take it.
const LOCK_SESSION = `SELECT id, subject_kind AS "subjectKind", subject_id AS "subjectId", family_id AS "familyId",
    last_used_at AS "lastUsedAt", expires_at AS "expiresAt", rotated_at AS "rotatedAt", revoked_at AS "revokedAt"
  FROM auth_session WHERE token_hash = $1 FOR UPDATE`;

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/**
 * Refresh tokens (auth_session). A sign-in's token is 256 random bits; every token is stored only
 * as its SHA-256. Every refresh spends the token and issues the next one of the same family;
 * presenting a spent token again means it was copied, so the whole family (every device of that
 * sign-in) is revoked. A family also dies when unused for the idle timeout, and at its absolute
 * lifetime, fixed at sign-in. Times are the injected Clock's, like every other domain time.
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
    private readonly clock: Clock,
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
  async start(subject: Subject): Promise<{ familyId: string; refreshToken: string }> {
    const familyId = crypto.randomUUID();
    const refreshToken = crypto.randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.db.prisma.authSession.create({
      data: {
        id: crypto.randomUUID(),
        subjectKind: subject.kind,
        subjectId: subject.id,
        familyId,
        tokenHash: hashToken(refreshToken),
        createdAt: now,
        lastUsedAt: now,
        expiresAt: new Date(now.getTime() + this.limits[subject.kind].absoluteS * 1000),
      },
    });
    return { familyId, refreshToken };
  }

  /**
   * Spends a refresh token for its successor. One transaction, with the presented token's row
   * locked (FOR UPDATE): concurrent refreshes with one token queue on that lock, the first
   * rotates, and the others then see the rotation and its successor's committed row. The time is
   * read once the lock is held, so a queued refresh is never dated before the rotation it waited for.
   */
  async rotate(refreshToken: string): Promise<RotateResult> {
    return this.db.tx(async (sql) => {
      const [row] = await sql.query<SessionRow>(LOCK_SESSION, [hashToken(refreshToken)]);
      if (!row) return { ok: false, reason: 'unknown' };
      const now = this.clock.now();
      const subject: Subject = { kind: subjectKind(row.subjectKind), id: row.subjectId };
      if (row.revokedAt) return { ok: false, reason: 'revoked' };
      const next = this.successorOf(refreshToken);
      if (row.rotatedAt) {
        if (this.graceS > 0 && row.rotatedAt.getTime() > now.getTime() - this.graceS * 1000) {
          const [successor] = await sql.query<SessionRow>(LOCK_SESSION, [hashToken(next)]);
          if (
            successor?.familyId === row.familyId &&
            !successor.rotatedAt &&
            !successor.revokedAt &&
            !this.ended(successor, subject, now)
          )
            return { ok: true, subject, familyId: row.familyId, refreshToken: next };
        }
        await this.revokeFamily(row.familyId, subject, 'auth.refresh_reuse');
        return { ok: false, reason: 'reused' };
      }
      const ended = this.ended(row, subject, now);
      if (ended) {
        await this.revokeFamily(row.familyId, subject, null);
        return { ok: false, reason: ended };
      }
      await sql.prisma.authSession.update({ where: { id: row.id }, data: { rotatedAt: now, lastUsedAt: now } });
      await sql.prisma.authSession.create({
        data: {
          id: crypto.randomUUID(),
          subjectKind: row.subjectKind,
          subjectId: row.subjectId,
          familyId: row.familyId,
          tokenHash: hashToken(next),
          createdAt: now,
          lastUsedAt: now,
          expiresAt: row.expiresAt,
        },
      });
      return { ok: true, subject, familyId: row.familyId, refreshToken: next };
    });
  }

  /** Why the family has ended at `now`, if it has: its absolute lifetime, or the idle timeout. */
  private ended(row: SessionRow, subject: Subject, now: Date): 'expired' | 'idle' | null {
    if (row.expiresAt.getTime() <= now.getTime()) return 'expired';
    if (now.getTime() - row.lastUsedAt.getTime() > this.limits[subject.kind].idleS * 1000) return 'idle';
    return null;
  }

  /**
   * Ends every token of the family; access tokens of it stop working at their next request. Inside
   * the caller's transaction when there is one (see db/transaction.ts), else in its own.
   */
  async revokeFamily(familyId: string, subject: Subject, auditAction: string | null): Promise<void> {
    await this.db.tx(async (sql) => {
      await sql.prisma.authSession.updateMany({
        where: { familyId, revokedAt: null },
        data: { revokedAt: this.clock.now() },
      });
      if (auditAction)
        await appendAudit(sql, {
          actorKind: 'system',
          actorId: null,
          action: auditAction,
          objectType: 'auth_session',
          objectId: familyId,
          detail: { subjectKind: subject.kind, subjectId: subject.id },
        });
    });
  }
}

/** `auth_session.subject_kind` as the domain's type; only `start` writes it. */
function subjectKind(kind: string): SubjectKind {
  if (kind !== 'user' && kind !== 'staff') throw new Error(`auth_session.subject_kind ${kind} is not a subject`);
  return kind;
}
