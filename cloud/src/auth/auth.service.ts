import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  ErrorCodes,
  type AuthTokensResponse,
  type StaffLoginResult,
  type WechatLoginResult,
} from '@heihe/shared';
import { appendAudit } from '../audit/audit';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
import { activeBindings } from '../identity/bindings';
import { WechatApi } from '../wechat/wechat.port';
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from './password';
import { actorOf, type Principal, type StaffRole } from './principal';
import { SecretBox } from '../common/secret-box';
import { SessionStore, type Subject } from './sessions';
import { TokenService } from './tokens';
import { base32Decode, verifyTotp } from './totp';

const STAFF_LOGIN_FAILED = '用户名、密码或动态口令错误';
const SESSION_ENDED = '登录已失效，请重新登录';

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
  ) {}

  /** The wall clock the TOTP check uses (ms); the only time read outside the database. */
  now: () => number = Date.now;

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
    return this.db.tx(async (sql) => {
      const [u] = await sql.query<{ id: number; created: boolean; consent: string | null }>(
        `INSERT INTO app_user (openid, unionid, last_login_at) VALUES ($1, $2, now())
         ON CONFLICT (openid) DO UPDATE SET last_login_at = now(), unionid = coalesce(EXCLUDED.unionid, app_user.unionid)
         RETURNING id, (xmax = 0) AS created, privacy_consent_version AS consent`,
        [openid, unionid ?? null],
      );
      const subject: Subject = { kind: 'user', id: u!.id };
      const { familyId, refreshToken } = await this.sessions.start(sql, subject);
      await appendAudit(sql, {
        actorKind: 'user',
        actorId: String(u!.id),
        action: 'auth.login',
        objectType: 'app_user',
        objectId: String(u!.id),
        detail: { method: 'wechat', newUser: u!.created, session: familyId },
      });
      return {
        ...this.tokensFor(subject, familyId, refreshToken),
        user: {
          id: u!.id,
          enterprises: (await activeBindings(sql, u!.id)).map(({ entityId, uscc, name }) => ({ entityId, uscc, name })),
          privacyConsentRequired: u!.consent !== this.config.PRIVACY_POLICY_VERSION,
          privacyPolicyVersion: this.config.PRIVACY_POLICY_VERSION,
        },
      };
    });
  }

  async refresh(refreshToken: string): Promise<AuthTokensResponse> {
    const r = await this.sessions.rotate(refreshToken);
    if (!r.ok) throw new AppError(ErrorCodes.UNAUTHENTICATED, SESSION_ENDED);
    if (r.subject.kind === 'staff') {
      const [s] = await this.db.query(`SELECT 1 FROM staff_account WHERE id = $1 AND disabled_at IS NULL`, [
        r.subject.id,
      ]);
      if (!s) {
        await this.sessions.revokeFamily(this.db, r.familyId, r.subject, null);
        throw new AppError(ErrorCodes.UNAUTHENTICATED, SESSION_ENDED);
      }
    }
    return this.tokensFor(r.subject, r.familyId, r.refreshToken);
  }

  async logout(p: Principal): Promise<{ loggedOut: true }> {
    if (p.kind === 'api_client') throw new AppError(ErrorCodes.FORBIDDEN, 'API 客户端无需退出登录');
    const subject: Subject = p.kind === 'user' ? { kind: 'user', id: p.userId } : { kind: 'staff', id: p.staffId };
    await this.db.tx(async (sql) => {
      await this.sessions.revokeFamily(sql, p.sessionId, subject, null);
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
    const [a] = await this.db.query<{
      id: number;
      username: string;
      display_name: string;
      role: StaffRole;
      password_hash: string;
      totp_secret_cipher: string;
      locked: boolean;
      disabled: boolean;
    }>(
      `SELECT id, username, display_name, role, password_hash, totp_secret_cipher,
              coalesce(locked_until > now(), false) AS locked, disabled_at IS NOT NULL AS disabled
       FROM staff_account WHERE username = $1`,
      [body.username],
    );
    if (!a || a.disabled) {
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
    if (a.locked) {
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
    const passwordOk = await verifyPassword(body.password, a.password_hash);
    const step = verifyTotp(base32Decode(this.box.open(a.totp_secret_cipher)), body.totp, this.now());

    const outcome = await this.db.tx(async (sql) => {
      await sql.query(`SELECT pg_advisory_xact_lock(727275, $1)`, [a.id]);
      const [replayed] =
        step === null
          ? []
          : await sql.query(
              `SELECT 1 FROM audit_log WHERE action = 'auth.staff_login' AND object_type = 'staff_account' AND object_id = $1
                 AND at > now() - interval '10 minutes' AND (detail->>'totpStep')::bigint >= $2 LIMIT 1`,
              [String(a.id), step],
            );
      const reason = !passwordOk ? 'password' : step === null ? 'totp' : replayed ? 'totp_replay' : null;
      if (reason) {
        const [f] = await sql.query<{ locked: boolean }>(
          `UPDATE staff_account SET failed_logins = failed_logins + 1,
             locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(secs => $3) ELSE locked_until END
           WHERE id = $1 RETURNING locked_until IS NOT NULL AND locked_until > now() AS locked`,
          [a.id, this.config.STAFF_MAX_FAILED_LOGINS, this.config.STAFF_LOCKOUT_S],
        );
        await appendAudit(sql, {
          actorKind: 'system',
          actorId: null,
          action: 'auth.staff_login_failed',
          objectType: 'staff_account',
          objectId: String(a.id),
          detail: { reason, locked: f!.locked },
        });
        return null;
      }
      await sql.query(`UPDATE staff_account SET failed_logins = 0, locked_until = NULL WHERE id = $1`, [a.id]);
      if (needsRehash(a.password_hash))
        await sql.query(`UPDATE staff_account SET password_hash = $2 WHERE id = $1`, [
          a.id,
          await hashPassword(body.password),
        ]);
      const subject: Subject = { kind: 'staff', id: a.id };
      const session = await this.sessions.start(sql, subject);
      await appendAudit(sql, {
        actorKind: 'staff',
        actorId: `${a.role}:${a.username}`,
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
      staff: { id: a.id, username: a.username, displayName: a.display_name, role: a.role },
    };
  }
}
