import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  ErrorCodes,
  type AuthTokensResponse,
  type StaffLoginResult,
  type WechatLoginResult,
} from '@heihe/shared';
import { appendAudit } from '../audit';
import { Config, type AppConfig } from '../config/config';
import { Clock } from '../common/clock';
import { SecretBox } from '../common/secret-box';
import { Database } from '../db/database';
import { WechatApi } from '../wechat';
import { activeBindings } from './bindings';
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from './password';
import { actorOf, staffRole, type Principal } from './principal';
import { SessionStore, type Subject } from './sessions';
import { TokenService } from './tokens';
import { base32Decode, verifyTotp } from './totp';

const STAFF_LOGIN_FAILED = '用户名、密码或动态口令错误';
const SESSION_ENDED = '登录已失效，请重新登录';
/** How far back a sign-in's TOTP step is looked for: well beyond the few steps a code is accepted. */
const TOTP_REPLAY_WINDOW_MS = 10 * 60 * 1000;

/** Sign-in, token refresh and sign-out for enterprise users (WeChat) and staff (password + TOTP). */
@Injectable()
export class AuthService {
  constructor(
    private readonly db: Database,
    @Inject(Config.token) private readonly config: AppConfig,
    private readonly wechat: WechatApi,
    private readonly tokens: TokenService,
    private readonly sessions: SessionStore,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  options() {
    const demo = this.config.DEMO_MODE;
    return {
      demoMode: demo,
      demoLoginCodeUrl: demo ? `${this.config.WECHAT_BASE_URL.replace(/\/+$/, '')}/__fake/login-code` : null,
      faceVerification: this.config.FACE_VERIFY_ENABLED,
      privacyPolicyVersion: this.config.PRIVACY_POLICY_VERSION,
    };
  }

  private tokensFor(subject: Subject, familyId: string, refreshToken: string): AuthTokensResponse {
    return {
      accessToken: this.tokens.issueAccess({ kind: subject.kind, subjectId: subject.id, sessionId: familyId }),
      refreshToken,
      expiresIn: this.tokens.accessTtlS,
      tokenType: 'Bearer',
    };
  }

  /**
   * code2Session, then our own tokens. WeChat's session_key is dropped here: it is never
   * returned, logged or stored.
   */
  async loginWithWechat(code: string): Promise<WechatLoginResult> {
    const { openid, unionid } = await this.wechat.code2Session(code);
    const now = this.clock.now();
    return this.db.tx(async (sql) => {
      // One INSERT … ON CONFLICT: a first sign-in is the row this statement created, stamped `now`.
      const u = await sql.prisma.appUser.upsert({
        where: { openid },
        create: { openid, unionid: unionid ?? null, createdAt: now, lastLoginAt: now },
        update: { lastLoginAt: now, unionid },
        select: { id: true, createdAt: true, privacyConsentVersion: true },
      });
      const subject: Subject = { kind: 'user', id: u.id };
      const { familyId, refreshToken } = await this.sessions.start(subject);
      await appendAudit(sql, {
        actorKind: 'user',
        actorId: String(u.id),
        action: 'auth.login',
        objectType: 'app_user',
        objectId: String(u.id),
        detail: { method: 'wechat', newUser: u.createdAt.getTime() === now.getTime(), session: familyId },
      });
      return {
        ...this.tokensFor(subject, familyId, refreshToken),
        user: {
          id: u.id,
          enterprises: (await activeBindings(sql, u.id)).map(({ entityId, uscc, name }) => ({ entityId, uscc, name })),
          privacyConsentRequired: u.privacyConsentVersion !== this.config.PRIVACY_POLICY_VERSION,
          privacyPolicyVersion: this.config.PRIVACY_POLICY_VERSION,
        },
      };
    });
  }

  async refresh(refreshToken: string): Promise<AuthTokensResponse> {
    const r = await this.sessions.rotate(refreshToken);
    if (!r.ok) throw new AppError(ErrorCodes.UNAUTHENTICATED, SESSION_ENDED);
    if (r.subject.kind === 'staff') {
      const active = await this.db.prisma.staffAccount.count({ where: { id: r.subject.id, disabledAt: null } });
      if (!active) {
        await this.sessions.revokeFamily(r.familyId, r.subject, null);
        throw new AppError(ErrorCodes.UNAUTHENTICATED, SESSION_ENDED);
      }
    }
    return this.tokensFor(r.subject, r.familyId, r.refreshToken);
  }

  async logout(p: Principal): Promise<{ loggedOut: true }> {
    if (p.kind === 'api_client') throw new AppError(ErrorCodes.FORBIDDEN, 'API 客户端无需退出登录');
    const subject: Subject = p.kind === 'user' ? { kind: 'user', id: p.userId } : { kind: 'staff', id: p.staffId };
    await this.db.tx(async (sql) => {
      await this.sessions.revokeFamily(p.sessionId, subject, null);
      await appendAudit(sql, {
        ...actorOf(p),
        action: 'auth.logout',
        objectType: 'auth_session',
        objectId: p.sessionId,
      });
    });
    return { loggedOut: true };
  }

  /**
   * Password and TOTP are both checked, always, and a failure never says which was wrong. Failed
   * attempts lock the account for a while; a TOTP code already used for a sign-in is refused
   * (the audit trail records the step each sign-in used).
   */
  async loginStaff(body: { username: string; password: string; totp: string }): Promise<StaffLoginResult> {
    const a = await this.db.prisma.staffAccount.findUnique({ where: { username: body.username } });
    const now = this.clock.now();
    if (!a || a.disabledAt) {
      await burnPasswordCheck(body.password);
      await appendAudit(this.db, {
        actorKind: 'system',
        actorId: null,
        action: 'auth.staff_login_failed',
        objectType: 'staff_account',
        objectId: a ? String(a.id) : null,
        detail: { reason: a ? 'disabled' : 'unknown_account' },
      });
      throw new AppError(ErrorCodes.UNAUTHENTICATED, STAFF_LOGIN_FAILED);
    }
    if (a.lockedUntil && a.lockedUntil > now) {
      await burnPasswordCheck(body.password);
      await appendAudit(this.db, {
        actorKind: 'system',
        actorId: null,
        action: 'auth.staff_login_failed',
        objectType: 'staff_account',
        objectId: String(a.id),
        detail: { reason: 'locked' },
      });
      throw new AppError(
        ErrorCodes.RATE_LIMITED,
        `登录失败次数过多，账号已临时锁定，请 ${Math.ceil(this.config.STAFF_LOCKOUT_S / 60)} 分钟后再试`,
      );
    }
    const passwordOk = await verifyPassword(body.password, a.passwordHash);
    const step = verifyTotp(base32Decode(this.box.open(a.totpSecretCipher)), body.totp, now.getTime());
    const role = staffRole(a.role);

    const outcome = await this.db.tx(async (sql) => {
      // Raw SQL: an advisory lock serialises one account's attempts (failure count, TOTP replay check).
      await sql.query(`SELECT pg_advisory_xact_lock(727275, $1)`, [a.id]);
      const replayed =
        step !== null &&
        (await sql.prisma.auditLog.findFirst({
          where: {
            action: 'auth.staff_login',
            objectType: 'staff_account',
            objectId: String(a.id),
            at: { gt: new Date(now.getTime() - TOTP_REPLAY_WINDOW_MS) },
            detail: { path: ['totpStep'], gte: step },
          },
          select: { id: true },
        })) !== null;
      const reason = !passwordOk ? 'password' : step === null ? 'totp' : replayed ? 'totp_replay' : null;
      if (reason) {
        const f = await sql.prisma.staffAccount.update({
          where: { id: a.id },
          data: { failedLogins: { increment: 1 } },
          select: { failedLogins: true, lockedUntil: true },
        });
        const lockedUntil =
          f.failedLogins >= this.config.STAFF_MAX_FAILED_LOGINS
            ? new Date(now.getTime() + this.config.STAFF_LOCKOUT_S * 1000)
            : f.lockedUntil;
        if (lockedUntil !== f.lockedUntil)
          await sql.prisma.staffAccount.update({ where: { id: a.id }, data: { lockedUntil } });
        await appendAudit(sql, {
          actorKind: 'system',
          actorId: null,
          action: 'auth.staff_login_failed',
          objectType: 'staff_account',
          objectId: String(a.id),
          detail: { reason, locked: lockedUntil !== null && lockedUntil > now },
        });
        return null;
      }
      await sql.prisma.staffAccount.update({
        where: { id: a.id },
        data: {
          failedLogins: 0,
          lockedUntil: null,
          ...(needsRehash(a.passwordHash) ? { passwordHash: await hashPassword(body.password) } : {}),
        },
      });
      const subject: Subject = { kind: 'staff', id: a.id };
      const session = await this.sessions.start(subject);
      await appendAudit(sql, {
        actorKind: 'staff',
        actorId: `${role}:${a.username}`,
        action: 'auth.staff_login',
        objectType: 'staff_account',
        objectId: String(a.id),
        detail: { totpStep: step, session: session.familyId },
      });
      return session;
    });
    if (!outcome) throw new AppError(ErrorCodes.UNAUTHENTICATED, STAFF_LOGIN_FAILED);
    return {
      ...this.tokensFor({ kind: 'staff', id: a.id }, outcome.familyId, outcome.refreshToken),
      staff: { id: a.id, username: a.username, displayName: a.displayName, role },
    };
  }
}
