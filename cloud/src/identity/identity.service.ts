import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  ErrorCodes,
  maskName,
  type Binding,
  type EnterpriseRef,
  type Me,
  type PersonalDataExport,
  type UnbindEnterpriseResult,
  type WithdrawPrivacyConsentResult,
} from '@heihe/shared';
import { appendAudit } from '../audit';
import { activeBindings, bindingMethod, TokenService, type Principal } from '../auth';
import { Clock } from '../common/clock';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
import { isoOrNull } from '../db/values';
import { PiiVault } from '../pii';
import { certHash, faceVerifyAdvice, WechatError, WechatApi } from '../wechat';

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
    private readonly clock: Clock,
  ) {}

  async recordConsent(p: User, version: string) {
    if (version !== this.config.PRIVACY_POLICY_VERSION)
      throw new AppError(ErrorCodes.CONFLICT, '隐私政策已更新，请阅读最新版本后再同意');
    const at = this.clock.now();
    const consented = await this.db.tx(async (sql) => {
      const { count } = await sql.prisma.appUser.updateMany({
        where: { id: p.userId },
        data: { privacyConsentVersion: version, privacyConsentedAt: at, privacyWithdrawnAt: null },
      });
      await appendAudit(sql, {
        actorKind: 'user',
        actorId: String(p.userId),
        action: 'privacy.consent',
        objectType: 'app_user',
        objectId: String(p.userId),
        detail: { version },
      });
      return count > 0;
    });
    return {
      version,
      consentedAt: consented ? at.toISOString() : null,
      withdrawnAt: null,
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
          await this.recordFailure(p.userId, m.uscc, { reason: 'face', errcode: e.errcode ?? null }, m.entityId);
        throw e;
      }
      if (!result.passed) {
        await this.recordFailure(p.userId, m.uscc, { reason: 'face', verifyRet: result.verifyRet }, m.entityId);
        throw new AppError(ErrorCodes.FACE_VERIFY_FAILED, faceVerifyAdvice(result.verifyRet));
      }
      verifyId = s.verifyId;
    }
    const method: Binding['method'] = face ? 'three_elements_face' : 'three_elements';
    const at = this.clock.now();
    return this.db.tx(async (sql) => {
      const bound = { personId: m.personId, method, faceVerifyId: verifyId, boundAt: at, revokedAt: null };
      await sql.prisma.enterpriseBinding.upsert({
        where: { userId_entityId: { userId: p.userId, entityId: m.entityId } },
        create: { userId: p.userId, entityId: m.entityId, ...bound },
        update: bound,
      });
      await sql.prisma.verificationAttempt.create({
        data: { userId: p.userId, entityUscc: m.uscc, succeeded: true, createdAt: at },
      });
      await appendAudit(sql, {
        actorKind: 'user',
        actorId: String(p.userId),
        action: 'identity.verify',
        objectType: 'entity',
        objectId: String(m.entityId),
        entityId: m.entityId,
        detail: { method, personId: m.personId, verifyId },
      });
      return { entityId: m.entityId, uscc: m.uscc, name: m.entityName, method, boundAt: at.toISOString() };
    });
  }

  async listMyEnterprises(p: User): Promise<{ items: Binding[] }> {
    return { items: await activeBindings(this.db, p.userId) };
  }

  /** Everything held about the user, masked; the view itself is audited. */
  async getMe(p: User): Promise<Me> {
    const me = await this.collectMe(p);
    await appendAudit(this.db, {
      actorKind: 'user',
      actorId: String(p.userId),
      action: 'personal_data.view',
      objectType: 'app_user',
      objectId: String(p.userId),
      detail: { view: 'getMe' },
    });
    return me;
  }

  private async collectMe(p: User): Promise<Me> {
    const prisma = this.db.prisma;
    const u = await prisma.appUser.findUnique({ where: { id: p.userId } });
    if (!u) throw new AppError(ErrorCodes.UNAUTHENTICATED, '登录已失效，请重新登录');
    const bindings = await prisma.enterpriseBinding.findMany({
      where: { userId: p.userId },
      orderBy: { boundAt: 'desc' },
    });
    const [entities, persons, attempts, sessions] = await Promise.all([
      prisma.entity.findMany({
        where: { id: { in: bindings.map((b) => b.entityId) } },
        select: { id: true, uscc: true, name: true, legalRepId: true },
      }),
      prisma.person.findMany({
        where: { id: { in: bindings.map((b) => b.personId) } },
        select: { id: true, name: true, idNumberMasked: true },
      }),
      prisma.verificationAttempt.findMany({
        where: { userId: p.userId },
        orderBy: { id: 'desc' },
        take: 50,
        select: { createdAt: true, entityUscc: true, succeeded: true },
      }),
      // A family is live while none of its tokens is revoked (revocation takes the whole family).
      prisma.authSession.groupBy({
        by: ['familyId'],
        where: { subjectKind: 'user', subjectId: p.userId },
        _min: { createdAt: true },
        _max: { lastUsedAt: true, expiresAt: true },
        having: { revokedAt: { _count: { equals: 0 } }, expiresAt: { _max: { gt: this.clock.now() } } },
        orderBy: { _min: { createdAt: 'desc' } },
      }),
    ]);
    const entity = new Map(entities.map((e) => [e.id, e]));
    const person = new Map(persons.map((x) => [x.id, x]));
    const version = this.config.PRIVACY_POLICY_VERSION;
    return {
      user: {
        id: u.id,
        openid: maskOpenid(u.openid),
        hasUnionid: u.unionid !== null,
        createdAt: u.createdAt.toISOString(),
        lastLoginAt: isoOrNull(u.lastLoginAt),
      },
      privacyConsent: {
        version: u.privacyConsentVersion,
        consentedAt: isoOrNull(u.privacyConsentedAt),
        withdrawnAt: isoOrNull(u.privacyWithdrawnAt),
        currentVersion: version,
        upToDate: u.privacyConsentVersion === version,
      },
      bindings: bindings.map((b) => {
        const e = entity.get(b.entityId)!;
        const x = person.get(b.personId)!;
        return {
          entityId: b.entityId,
          uscc: e.uscc,
          name: e.name,
          method: bindingMethod(b.method),
          boundAt: b.boundAt.toISOString(),
          status: b.revokedAt ? 'revoked' : e.legalRepId === b.personId ? 'active' : 'superseded',
          revokedAt: isoOrNull(b.revokedAt),
          revokedReason:
            b.revokedReason === 'unbound' || b.revokedReason === 'consent_withdrawn' ? b.revokedReason : null,
          verifiedAs: { name: maskName(x.name), idNumber: x.idNumberMasked },
        };
      }),
      verificationAttempts: attempts.map((a) => ({
        at: a.createdAt.toISOString(),
        uscc: a.entityUscc,
        succeeded: a.succeeded,
      })),
      sessions: sessions.map((s) => ({
        startedAt: s._min.createdAt!.toISOString(),
        lastUsedAt: s._max.lastUsedAt!.toISOString(),
        expiresAt: s._max.expiresAt!.toISOString(),
        current: s.familyId === p.sessionId,
      })),
      retention: { auditDays: this.config.AUDIT_RETENTION_DAYS },
    };
  }

  /**
   * A copy of the user's own personal data to keep (PIPL Art. 45): what getMe shows, with the
   * subscribe-message acceptances, the applications the user filed, the 信易贷 applications and the
   * messages. ID numbers stay masked. The export is audited.
   */
  async exportMyData(p: User): Promise<PersonalDataExport> {
    const me = await this.collectMe(p);
    const prisma = this.db.prisma;
    const mine = { where: { userId: p.userId }, orderBy: { id: 'asc' as const } };
    const [subscriptions, objections, goodInfo, repairs, loans, messages] = await Promise.all([
      prisma.subscribeConsent.findMany({ ...mine, select: { templateId: true, grantedAt: true, usedAt: true } }),
      prisma.objection.findMany({
        ...mine,
        select: { id: true, entityId: true, status: true, filedAt: true, statement: true },
      }),
      prisma.goodInfoReport.findMany({
        ...mine,
        select: { id: true, entityId: true, status: true, filedAt: true, description: true },
      }),
      prisma.repairApplication.findMany({
        ...mine,
        select: { id: true, entityId: true, status: true, filedAt: true, statement: true },
      }),
      prisma.loanApplication.findMany({
        ...mine,
        select: { id: true, entityId: true, status: true, createdAt: true },
      }),
      prisma.userMessage.findMany({ ...mine, select: { title: true, body: true, createdAt: true, readAt: true } }),
    ]);
    const at = this.clock.now();
    await appendAudit(this.db, {
      actorKind: 'user',
      actorId: String(p.userId),
      action: 'personal_data.export',
      objectType: 'app_user',
      objectId: String(p.userId),
      detail: { applications: objections.length + goodInfo.length + repairs.length, messages: messages.length },
    });
    const app =
      (kind: 'objection' | 'good_info' | 'repair') =>
      (a: {
        id: number;
        entityId: number;
        status: string;
        filedAt: Date;
        statement?: string;
        description?: string;
      }) => ({
        kind,
        id: a.id,
        entityId: a.entityId,
        status: a.status,
        submittedAt: a.filedAt.toISOString(),
        statement: a.statement ?? a.description ?? '',
      });
    return {
      format: 'heihe-credit-personal-data/1',
      exportedAt: at.toISOString(),
      me,
      subscriptions: subscriptions.map((x) => ({
        templateId: x.templateId,
        grantedAt: x.grantedAt.toISOString(),
        usedAt: isoOrNull(x.usedAt),
      })),
      applications: [
        ...objections.map(app('objection')),
        ...goodInfo.map(app('good_info')),
        ...repairs.map(app('repair')),
      ],
      loanApplications: loans.map((l) => ({
        id: l.id,
        entityId: l.entityId,
        status: l.status,
        createdAt: l.createdAt.toISOString(),
      })),
      messages: messages.map((m) => ({
        title: m.title,
        body: m.body,
        createdAt: m.createdAt.toISOString(),
        readAt: isoOrNull(m.readAt),
      })),
    };
  }

  /**
   * Unbinds one enterprise the user is bound to: from the next request on, the user's tokens no
   * longer reach it (the principal's enterprises are read per request). Binding again takes a new
   * identity verification. Audited.
   */
  async unbindEnterprise(p: User, entityId: number): Promise<UnbindEnterpriseResult> {
    const at = this.clock.now();
    return this.db.tx(async (sql) => {
      const { count } = await sql.prisma.enterpriseBinding.updateMany({
        where: { userId: p.userId, entityId, revokedAt: null },
        data: { revokedAt: at, revokedReason: 'unbound' },
      });
      // Not bound (or bound by someone else): the same answer, so no one learns about others' bindings.
      if (count === 0) throw new AppError(ErrorCodes.NOT_FOUND, '您未绑定该企业，无需解除绑定');
      const e = await sql.prisma.entity.findFirstOrThrow({
        where: { id: entityId },
        select: { id: true, uscc: true, name: true },
      });
      await appendAudit(sql, {
        actorKind: 'user',
        actorId: String(p.userId),
        action: 'identity.unbind',
        objectType: 'entity',
        objectId: String(entityId),
        entityId,
        detail: { reason: 'unbound' },
      });
      return { entityId: e.id, uscc: e.uscc, name: e.name, unboundAt: at.toISOString() };
    });
  }

  /**
   * Withdraws the privacy consent (PIPL Art. 15). What was processed before stays lawful; from now
   * on the platform processes nothing new about the user's identity: every enterprise binding ends
   * (acting for an enterprise rests on the verified identity) and unused subscribe-message
   * acceptances are cancelled. Signing in stays possible; verifying again needs a new consent.
   * Audited. Withdrawing without a consent in force is refused with CONFLICT.
   */
  async withdrawConsent(p: User): Promise<WithdrawPrivacyConsentResult> {
    const at = this.clock.now();
    return this.db.tx(async (sql) => {
      const { count } = await sql.prisma.appUser.updateMany({
        where: { id: p.userId, privacyConsentVersion: { not: null } },
        data: { privacyConsentVersion: null, privacyConsentedAt: null, privacyWithdrawnAt: at },
      });
      if (count === 0) throw new AppError(ErrorCodes.CONFLICT, '您目前没有生效的隐私政策同意，无需撤回');
      const bound = await sql.prisma.enterpriseBinding.findMany({
        where: { userId: p.userId, revokedAt: null },
        select: { entityId: true },
        orderBy: { entityId: 'asc' },
      });
      await sql.prisma.enterpriseBinding.updateMany({
        where: { userId: p.userId, revokedAt: null },
        data: { revokedAt: at, revokedReason: 'consent_withdrawn' },
      });
      const cancelled = await sql.prisma.subscribeConsent.deleteMany({ where: { userId: p.userId, usedAt: null } });
      const entities = await sql.prisma.entity.findMany({
        where: { id: { in: bound.map((b) => b.entityId) } },
        select: { id: true, uscc: true, name: true },
        orderBy: { id: 'asc' },
      });
      const unbound: EnterpriseRef[] = entities.map((e) => ({ entityId: e.id, uscc: e.uscc, name: e.name }));
      await appendAudit(sql, {
        actorKind: 'user',
        actorId: String(p.userId),
        action: 'privacy.withdraw',
        objectType: 'app_user',
        objectId: String(p.userId),
        detail: { unbound: unbound.map((e) => e.entityId), subscriptionsCancelled: cancelled.count },
      });
      return { withdrawnAt: at.toISOString(), unbound, subscriptionsCancelled: cancelled.count };
    });
  }

  /** The user's openid, once they have accepted the current privacy terms. */
  private async requireConsent(userId: number): Promise<string> {
    const u = await this.db.prisma.appUser.findUnique({
      where: { id: userId },
      select: { openid: true, privacyConsentVersion: true },
    });
    if (!u) throw new AppError(ErrorCodes.UNAUTHENTICATED, '登录已失效，请重新登录');
    if (u.privacyConsentVersion !== this.config.PRIVACY_POLICY_VERSION)
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
      // Raw SQL: advisory locks serialise the attempts of one user and of one enterprise (ADR 0003).
      await sql.query(`SELECT pg_advisory_xact_lock(727276, $1)`, [userId]);
      await sql.query(`SELECT pg_advisory_xact_lock(727277, hashtext($1))`, [el.uscc]);
      const failures = {
        succeeded: false,
        createdAt: { gt: new Date(this.clock.now().getTime() - c.VERIFY_FAILURE_WINDOW_S * 1000) },
      };
      const byUser = await sql.prisma.verificationAttempt.count({ where: { userId, ...failures } });
      const byEntity = await sql.prisma.verificationAttempt.count({ where: { entityUscc: el.uscc, ...failures } });
      if (byUser >= c.VERIFY_MAX_FAILURES_PER_USER || byEntity >= c.VERIFY_MAX_FAILURES_PER_ENTITY)
        throw new AppError(
          ErrorCodes.RATE_LIMITED,
          `身份核验失败次数过多，请 ${Math.ceil(c.VERIFY_FAILURE_WINDOW_S / 3600)} 小时后再试`,
        );
      const m = await sql.prisma.entity.findFirst({
        where: { uscc: el.uscc, legalRep: { idNumberHash: this.vault.hash(el.idNumber) } },
        select: { id: true, uscc: true, name: true, legalRep: { select: { id: true, name: true } } },
      });
      if (m?.legalRep && normalizePersonName(m.legalRep.name) === normalizePersonName(el.name))
        return {
          entityId: m.id,
          uscc: m.uscc,
          entityName: m.name,
          personId: m.legalRep.id,
          personName: m.legalRep.name,
        };
      await this.recordFailure(userId, el.uscc, { reason: 'elements' }, null);
      return null;
    });
    if (!match) throw new AppError(ErrorCodes.IDENTITY_MISMATCH, MISMATCH);
    return match;
  }

  /** In the caller's transaction when there is one (the gate's), else in its own. */
  private async recordFailure(
    userId: number,
    uscc: string,
    detail: Record<string, unknown>,
    entityId: number | null,
  ): Promise<void> {
    await this.db.tx(async (sql) => {
      await sql.prisma.verificationAttempt.create({
        data: { userId, entityUscc: uscc, succeeded: false, createdAt: this.clock.now() },
      });
      await appendAudit(sql, {
        actorKind: 'user',
        actorId: String(userId),
        action: 'identity.verify_failed',
        objectType: 'entity',
        objectId: entityId === null ? null : String(entityId),
        entityId,
        detail: { ...detail, uscc },
      });
    });
  }
}
