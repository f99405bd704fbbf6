import { Inject, Injectable } from '@nestjs/common';
import { AppError, ErrorCodes, maskName, type Binding, type Me } from '@heihe/shared';
import { appendAudit } from '../audit/audit';
import type { Principal } from '../auth/principal';
import { TokenService } from '../auth/tokens';
import { Config, type AppConfig } from '../config/config';
import { Database, type Sql } from '../db/database';
import { certHash, faceVerifyAdvice } from '../wechat/face-verify';
import { WechatError } from '../wechat/wechat.errors';
import { WechatApi } from '../wechat/wechat.port';
import { PiiVault } from '../pii/pii';
import { activeBindings } from './bindings';

type User = Extract<Principal, { kind: 'user' }>;

export interface IdentityElements {
  uscc: string;
  name: string;
  idNumber: string;
}

interface Match {
  entityId: number;
  uscc: string;
  entityName: string;
  personId: number;
  personName: string;
}

/** One message for every mismatch: it must not tell which of the three elements was wrong. */
const MISMATCH = '身份信息核验未通过：请确认姓名、身份证号和统一社会信用代码均与营业执照登记的法定代表人一致';
/** The face state token outlives a slow face check, but not by much. */
const FACE_STATE_MAX_S = 30 * 60;

const iso = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();
const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));

/** Names as typed on a phone: full-width forms folded, spaces dropped, the 间隔号 of minority names unified. */
export function normalizePersonName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[.•・‧∙]/g, '·');
}

function maskOpenid(openid: string): string {
  return openid.length <= 8 ? '*'.repeat(openid.length) : `${openid.slice(0, 4)}****${openid.slice(-4)}`;
}

/**
 * Identity verification (身份核验) and enterprise binding. Only the registered legal
 * representative binds (docs/adr/0003-identity-binding.md): the ID number is compared through its
 * keyed hash, never by decrypting stored numbers, and 人脸核身 then proves the person is present.
 */
@Injectable()
export class IdentityService {
  constructor(
    private readonly db: Database,
    @Inject(Config.token) private readonly config: AppConfig,
    private readonly vault: PiiVault,
    private readonly wechat: WechatApi,
    private readonly tokens: TokenService,
  ) {}

  async recordConsent(p: User, version: string) {
    if (version !== this.config.PRIVACY_POLICY_VERSION)
      throw new AppError(ErrorCodes.CONFLICT, '隐私政策已更新，请阅读最新版本后再同意');
    const [row] = await this.db.tx(async (sql) => {
      const rows = await sql.query<{ at: unknown }>(
        `UPDATE app_user SET privacy_consent_version = $2, privacy_consented_at = now() WHERE id = $1 RETURNING privacy_consented_at AS at`,
        [p.userId, version],
      );
      await appendAudit(sql, {
        actorKind: 'user',
        actorId: String(p.userId),
        action: 'privacy.consent',
        objectType: 'app_user',
        objectId: String(p.userId),
        detail: { version },
      });
      return rows;
    });
    return {
      version,
      consentedAt: isoOrNull(row?.at),
      currentVersion: this.config.PRIVACY_POLICY_VERSION,
      upToDate: true,
    };
  }

  async startFaceVerification(p: User, el: IdentityElements) {
    if (!this.config.FACE_VERIFY_ENABLED)
      throw new AppError(ErrorCodes.CONFLICT, '本系统未开通人脸核身，请直接提交身份核验');
    const openid = await this.requireConsent(p.userId);
    const m = await this.gate(p.userId, el);
    const session = await this.wechat.getVerifyId({ openid, name: m.personName, idNumber: el.idNumber });
    const expiresIn = Math.min(session.expiresIn, FACE_STATE_MAX_S);
    const verifyToken = this.tokens.issueFaceState(
      {
        userId: p.userId,
        entityId: m.entityId,
        personId: m.personId,
        verifyId: session.verifyId,
        outSeqNo: session.outSeqNo,
      },
      expiresIn,
    );
    await appendAudit(this.db, {
      actorKind: 'user',
      actorId: String(p.userId),
      action: 'identity.face_start',
      objectType: 'entity',
      objectId: String(m.entityId),
      entityId: m.entityId,
      detail: { verifyId: session.verifyId },
    });
    return { verifyId: session.verifyId, verifyToken, expiresIn };
  }

  async verifyIdentity(p: User, body: IdentityElements & { verifyToken?: string }): Promise<Binding> {
    const openid = await this.requireConsent(p.userId);
    const face = this.config.FACE_VERIFY_ENABLED;
    if (face && !body.verifyToken)
      throw new AppError(ErrorCodes.VALIDATION_FAILED, '请先完成人脸核身', [
        { path: 'body.verifyToken', message: '请先完成人脸核身' },
      ]);
    const m = await this.gate(p.userId, body);
    let verifyId: string | null = null;
    if (face) {
      const s = this.tokens.verifyFaceState(body.verifyToken!);
      if (!s || s.userId !== p.userId || s.entityId !== m.entityId || s.personId !== m.personId)
        throw new AppError(ErrorCodes.FACE_VERIFY_FAILED, '人脸核身已过期或与本次提交的信息不符，请重新发起人脸核身');
      let result;
      try {
        result = await this.wechat.queryVerifyInfo({
          verifyId: s.verifyId,
          openid,
          outSeqNo: s.outSeqNo,
          certHash: certHash({ name: m.personName, idNumber: body.idNumber }),
        });
      } catch (e) {
        if (e instanceof WechatError && e.code === ErrorCodes.FACE_VERIFY_FAILED)
          await this.recordFailure(
            this.db,
            p.userId,
            m.uscc,
            { reason: 'face', errcode: e.errcode ?? null },
            m.entityId,
          );
        throw e;
      }
      if (!result.passed) {
        await this.recordFailure(
          this.db,
          p.userId,
          m.uscc,
          { reason: 'face', verifyRet: result.verifyRet },
          m.entityId,
        );
        throw new AppError(ErrorCodes.FACE_VERIFY_FAILED, faceVerifyAdvice(result.verifyRet));
      }
      verifyId = s.verifyId;
    }
    const method: Binding['method'] = face ? 'three_elements_face' : 'three_elements';
    return this.db.tx(async (sql) => {
      const [b] = await sql.query<{ bound_at: unknown }>(
        `INSERT INTO enterprise_binding (user_id, entity_id, person_id, method, face_verify_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id, entity_id) DO UPDATE SET person_id = EXCLUDED.person_id, method = EXCLUDED.method,
           face_verify_id = EXCLUDED.face_verify_id, bound_at = now(), revoked_at = NULL
         RETURNING bound_at`,
        [p.userId, m.entityId, m.personId, method, verifyId],
      );
      await sql.query(`INSERT INTO verification_attempt (user_id, entity_uscc, succeeded) VALUES ($1, $2, true)`, [
        p.userId,
        m.uscc,
      ]);
      await appendAudit(sql, {
        actorKind: 'user',
        actorId: String(p.userId),
        action: 'identity.verify',
        objectType: 'entity',
        objectId: String(m.entityId),
        entityId: m.entityId,
        detail: { method, personId: m.personId, verifyId },
      });
      return { entityId: m.entityId, uscc: m.uscc, name: m.entityName, method, boundAt: iso(b!.bound_at) };
    });
  }

  async listMyEnterprises(p: User): Promise<{ items: Binding[] }> {
    return { items: await activeBindings(this.db, p.userId) };
  }

  /** Everything held about the user, masked; the view itself is audited. */
  async getMe(p: User): Promise<Me> {
    const [u] = await this.db.query<{
      id: number;
      openid: string;
      unionid: string | null;
      created_at: unknown;
      last_login_at: unknown;
      consent_version: string | null;
      consented_at: unknown;
    }>(
      `SELECT id, openid, unionid, created_at, last_login_at, privacy_consent_version AS consent_version,
              privacy_consented_at AS consented_at FROM app_user WHERE id = $1`,
      [p.userId],
    );
    if (!u) throw new AppError(ErrorCodes.UNAUTHENTICATED, '登录已失效，请重新登录');
    const bindings = await this.db.query<{
      entity_id: number;
      uscc: string;
      entity_name: string;
      method: Binding['method'];
      bound_at: unknown;
      revoked_at: unknown;
      current: boolean;
      person_name: string;
      id_masked: string;
    }>(
      `SELECT e.id AS entity_id, e.uscc, e.name AS entity_name, b.method, b.bound_at, b.revoked_at,
              coalesce(e.legal_rep_id = b.person_id, false) AS current, p.name AS person_name, p.id_number_masked AS id_masked
       FROM enterprise_binding b JOIN entity e ON e.id = b.entity_id JOIN person p ON p.id = b.person_id
       WHERE b.user_id = $1 ORDER BY b.bound_at DESC`,
      [p.userId],
    );
    const attempts = await this.db.query<{ at: unknown; uscc: string; succeeded: boolean }>(
      `SELECT created_at AS at, entity_uscc AS uscc, succeeded FROM verification_attempt WHERE user_id = $1 ORDER BY id DESC LIMIT 50`,
      [p.userId],
    );
    const sessions = await this.db.query<{ family_id: string; started: unknown; last_used: unknown; expires: unknown }>(
      `SELECT family_id, min(created_at) AS started, max(last_used_at) AS last_used, max(expires_at) AS expires
       FROM auth_session WHERE subject_kind = 'user' AND subject_id = $1
       GROUP BY family_id HAVING bool_and(revoked_at IS NULL) AND max(expires_at) > now()
       ORDER BY min(created_at) DESC`,
      [p.userId],
    );
    await appendAudit(this.db, {
      actorKind: 'user',
      actorId: String(p.userId),
      action: 'personal_data.view',
      objectType: 'app_user',
      objectId: String(p.userId),
      detail: { view: 'getMe' },
    });
    const version = this.config.PRIVACY_POLICY_VERSION;
    return {
      user: {
        id: u.id,
        openid: maskOpenid(u.openid),
        hasUnionid: u.unionid !== null,
        createdAt: iso(u.created_at),
        lastLoginAt: isoOrNull(u.last_login_at),
      },
      privacyConsent: {
        version: u.consent_version,
        consentedAt: isoOrNull(u.consented_at),
        currentVersion: version,
        upToDate: u.consent_version === version,
      },
      bindings: bindings.map((b) => ({
        entityId: b.entity_id,
        uscc: b.uscc,
        name: b.entity_name,
        method: b.method,
        boundAt: iso(b.bound_at),
        status: b.revoked_at ? 'revoked' : b.current ? 'active' : 'superseded',
        revokedAt: isoOrNull(b.revoked_at),
        verifiedAs: { name: maskName(b.person_name), idNumber: b.id_masked },
      })),
      verificationAttempts: attempts.map((a) => ({ at: iso(a.at), uscc: a.uscc, succeeded: a.succeeded })),
      sessions: sessions.map((s) => ({
        startedAt: iso(s.started),
        lastUsedAt: iso(s.last_used),
        expiresAt: iso(s.expires),
        current: s.family_id === p.sessionId,
      })),
      retention: { auditDays: this.config.AUDIT_RETENTION_DAYS },
    };
  }

  /** The user's openid, once they have accepted the current privacy terms. */
  private async requireConsent(userId: number): Promise<string> {
    const [u] = await this.db.query<{ openid: string; version: string | null }>(
      `SELECT openid, privacy_consent_version AS version FROM app_user WHERE id = $1`,
      [userId],
    );
    if (!u) throw new AppError(ErrorCodes.UNAUTHENTICATED, '登录已失效，请重新登录');
    if (u.version !== this.config.PRIVACY_POLICY_VERSION)
      throw new AppError(ErrorCodes.CONSENT_REQUIRED, '请先阅读并同意最新的隐私政策，再进行身份核验');
    return u.openid;
  }

  /**
   * The rate limit, then the three elements. Serialised per user and per enterprise, so parallel
   * requests cannot outrun the limit; a mismatch is recorded before the error leaves.
   */
  private async gate(userId: number, el: IdentityElements): Promise<Match> {
    const c = this.config;
    const match = await this.db.tx(async (sql) => {
      await sql.query(`SELECT pg_advisory_xact_lock(727276, $1)`, [userId]);
      await sql.query(`SELECT pg_advisory_xact_lock(727277, hashtext($1))`, [el.uscc]);
      const [n] = await sql.query<{ by_user: number; by_entity: number }>(
        `SELECT count(*) FILTER (WHERE user_id = $1)::int AS by_user, count(*) FILTER (WHERE entity_uscc = $2)::int AS by_entity
         FROM verification_attempt
         WHERE NOT succeeded AND created_at > now() - make_interval(secs => $3) AND (user_id = $1 OR entity_uscc = $2)`,
        [userId, el.uscc, c.VERIFY_FAILURE_WINDOW_S],
      );
      if (n!.by_user >= c.VERIFY_MAX_FAILURES_PER_USER || n!.by_entity >= c.VERIFY_MAX_FAILURES_PER_ENTITY)
        throw new AppError(
          ErrorCodes.RATE_LIMITED,
          `身份核验失败次数过多，请 ${Math.ceil(c.VERIFY_FAILURE_WINDOW_S / 3600)} 小时后再试`,
        );
      const [m] = await sql.query<{
        entity_id: number;
        uscc: string;
        entity_name: string;
        person_id: number;
        person_name: string;
      }>(
        `SELECT e.id AS entity_id, e.uscc, e.name AS entity_name, p.id AS person_id, p.name AS person_name
         FROM entity e JOIN person p ON p.id = e.legal_rep_id
         WHERE e.uscc = $1 AND p.id_number_hash = $2`,
        [el.uscc, this.vault.hash(el.idNumber)],
      );
      if (m && normalizePersonName(m.person_name) === normalizePersonName(el.name))
        return {
          entityId: m.entity_id,
          uscc: m.uscc,
          entityName: m.entity_name,
          personId: m.person_id,
          personName: m.person_name,
        };
      await this.recordFailure(sql, userId, el.uscc, { reason: 'elements' }, null);
      return null;
    });
    if (!match) throw new AppError(ErrorCodes.IDENTITY_MISMATCH, MISMATCH);
    return match;
  }

  private async recordFailure(
    sql: Sql,
    userId: number,
    uscc: string,
    detail: Record<string, unknown>,
    entityId: number | null,
  ): Promise<void> {
    const write = async (q: Sql) => {
      await q.query(`INSERT INTO verification_attempt (user_id, entity_uscc, succeeded) VALUES ($1, $2, false)`, [
        userId,
        uscc,
      ]);
      await appendAudit(q, {
        actorKind: 'user',
        actorId: String(userId),
        action: 'identity.verify_failed',
        objectType: 'entity',
        objectId: entityId === null ? null : String(entityId),
        entityId,
        detail: { ...detail, uscc },
      });
    };
    if (sql instanceof Database) await sql.tx(write);
    else await write(sql);
  }
}
