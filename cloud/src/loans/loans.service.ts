import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  ErrorCodes,
  LOAN_STATUS_LABELS,
  LOAN_STATUSES,
  LOAN_TRANSITIONS,
  RESULT_NOTICE,
  type AuthorizedCredit,
  type CreateLoanApplication,
  type DataAuthorization,
  type DataAuthorizationList,
  type GrantDataAuthorization,
  type LoanApplication,
  type LoanApplicationList,
  type LoanDataScope,
  type LoanProduct,
  type LoanProductList,
  type LoanStats,
  type LoanStatus,
  type UpdateLoanApplication,
  type UpsertLoanProduct,
} from '@heihe/shared';
import { appendAudit, type AuditEntry } from '../audit';
import { actorOf, type Principal } from '../auth';
import { chinaDateTime } from '../common/china-time';
import { Clock } from '../common/clock';
import { Config, type AppConfig } from '../config/config';
import { Database, type Sql } from '../db/database';
import type { Prisma } from '../generated/prisma/client';
import { messageUser, templatesOf, thing } from '../notify';
import { ScoringService } from '../scoring';
import { usccKey } from '../db/shard';

/** The API-client scope of a bank's 信易贷 operations (products, applications, authorised reads). */
export const LOAN_SCOPE = 'loans:bank';

type Grade = 'A' | 'B' | 'C' | 'D' | 'E';
type Bank = Extract<Principal, { kind: 'api_client' }>;
type User = Extract<Principal, { kind: 'user' }>;

const DAY_MS = 86_400_000;
const NOT_AUTHORIZED = '未获该企业授权，或授权已撤销、已过期';

/** Short result words for the decision card's phrase field (≤ 5 Han characters). */
const PHRASE: Record<LoanStatus, string> = {
  submitted: '已提交',
  accepted: '已受理',
  approved: '已授信',
  rejected: '未获授信',
  disbursed: '已放款',
};

const percent = (bp: number) => bp / 100;
const bp = (rate: number) => Math.round(rate * 100);
const scopesOf = (s: string[]) => s.filter((x): x is LoanDataScope => x === 'evaluation' || x === 'records');

function requireUser(p: Principal, entityId: number): asserts p is User {
  if (p.kind !== 'user' || !p.entityIds.includes(entityId))
    throw new AppError(ErrorCodes.NOT_FOUND, '主体不存在或无权访问');
}

function requireBank(p: Principal): asserts p is Bank {
  if (p.kind !== 'api_client' || !p.scopes.includes(LOAN_SCOPE))
    throw new AppError(ErrorCodes.FORBIDDEN, '仅开通信易贷对接的银行可以办理');
}

/** The enterprise a user acts for: the one asked for (bound), or their first bound enterprise. */
function entityOf(p: Principal, entityId: number | undefined): number {
  if (p.kind !== 'user') throw new AppError(ErrorCodes.FORBIDDEN, '仅企业用户可以查看');
  const id = entityId ?? p.entityIds[0];
  if (id === undefined) throw new AppError(ErrorCodes.NOT_FOUND, '请先完成企业身份核验');
  requireUser(p, id);
  return id;
}

const productInclude = { bank: { select: { name: true } } } as const;
type ProductRow = Prisma.LoanProductGetPayload<{ include: typeof productInclude }>;

const applicationInclude = {
  product: { include: productInclude },
  entity: { select: { uscc: true, name: true } },
  authorization: true,
  events: { orderBy: { id: 'asc' } },
} as const;
type ApplicationRow = Prisma.LoanApplicationGetPayload<{ include: typeof applicationInclude }>;

/** Whether an entity of this grade, industry and region qualifies for a product. */
export function qualifies(
  p: { minGrade: string; industries: string[]; regions: string[] },
  e: { grade: string | null; industryCode: string; regionCode: string },
): boolean {
  if (!e.grade || e.grade > p.minGrade) return false;
  if (p.industries.length && !p.industries.some((i) => e.industryCode.startsWith(i))) return false;
  if (p.regions.length && !p.regions.some((r) => e.regionCode.startsWith(r))) return false;
  return true;
}

/**
 * 信易贷: banks' products, the enterprise's authorisation for one bank to read its evaluation and
 * records, and loan applications from 受理 to 放款. Every change and every bank read is audited;
 * every bank decision reaches the applicant as a subscribe message through the outbox.
 */
@Injectable()
export class LoansService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly scoring: ScoringService,
    @Inject(Config.token)
    private readonly config: Pick<AppConfig, 'WECHAT_TEMPLATE_DECISION' | 'WECHAT_TEMPLATE_GRADE'>,
  ) {}

  // ---- products --------------------------------------------------------------------------------

  async listProducts(entityId: number | undefined, who: Principal): Promise<LoanProductList> {
    if (who.kind === 'api_client') {
      requireBank(who);
      const rows = await this.db.prisma.loanProduct.findMany({
        where: { bankId: who.clientId },
        include: productInclude,
        orderBy: { id: 'asc' },
      });
      return { grade: null, recommended: false, items: rows.map(productView) };
    }
    const id = entityOf(who, entityId);
    const e = await this.db.prisma.entity.findFirst({
      where: { id },
      select: { industryCode: true, regionCode: true, score: { select: { grade: true } } },
    });
    if (!e) throw new AppError(ErrorCodes.NOT_FOUND, '主体不存在或无权访问');
    const grade = (e.score?.grade ?? null) as Grade | null;
    const rows = await this.db.prisma.loanProduct.findMany({
      where: { active: true, bank: { revokedAt: null } },
      include: productInclude,
      orderBy: [{ minGrade: 'asc' }, { id: 'asc' }],
    });
    const items = rows.filter((p) => qualifies(p, { grade, industryCode: e.industryCode, regionCode: e.regionCode }));
    return { grade, recommended: grade === 'A', items: items.map(productView) };
  }

  async upsertProduct(b: UpsertLoanProduct, who: Principal): Promise<LoanProduct> {
    requireBank(who);
    const data = {
      name: b.name,
      description: b.description,
      minAmount: b.minAmount,
      maxAmount: b.maxAmount,
      minRateBp: bp(b.minRate),
      maxRateBp: bp(b.maxRate),
      termMonths: b.termMonths,
      minGrade: b.minGrade,
      industries: b.industries,
      regions: b.regions,
      slaDays: b.slaDays,
      active: b.active,
    };
    const now = this.clock.now();
    return this.db.tx(async (sql) => {
      let row: ProductRow;
      if (b.id !== undefined) {
        // Another bank's product answers as a missing one: ids cannot be probed.
        const own = await sql.prisma.loanProduct.updateMany({ where: { id: b.id, bankId: who.clientId }, data });
        if (!own.count) throw new AppError(ErrorCodes.NOT_FOUND, '产品不存在或不属于本行');
        row = await sql.prisma.loanProduct.findUniqueOrThrow({ where: { id: b.id }, include: productInclude });
      } else {
        row = await sql.prisma.loanProduct.create({ data: { ...data, bankId: who.clientId }, include: productInclude });
      }
      await appendAudit(
        sql,
        {
          ...actorOf(who),
          action: b.id === undefined ? 'loan_product.create' : 'loan_product.update',
          objectType: 'loan_product',
          objectId: String(row.id),
          detail: { ...data },
        },
        { now },
      );
      return productView(row);
    });
  }

  // ---- data authorisation ----------------------------------------------------------------------

  async grant(b: GrantDataAuthorization, who: Principal): Promise<DataAuthorization> {
    requireUser(who, b.entityId);
    const bank = await this.bank(b.bankId);
    const now = this.clock.now();
    const { bucket } = await this.db.prisma.entity.findFirstOrThrow({
      where: { id: b.entityId },
      select: { bucket: true },
    });
    const id = await this.db.tx(async (sql) =>
      this.createAuthorization(sql, who, {
        entityId: b.entityId,
        entityBucket: bucket,
        bankId: bank.id,
        scopes: b.scopes,
        days: b.days,
        purpose: b.purpose,
        now,
      }),
    );
    return (await this.authorizationViews({ id }, now))[0]!;
  }

  async revoke(authorizationId: number, who: Principal): Promise<DataAuthorization> {
    const a = await this.db.prisma.dataAuthorization.findUnique({ where: { id: authorizationId } });
    if (!a) throw new AppError(ErrorCodes.NOT_FOUND, '授权不存在或无权访问');
    requireUser(who, a.entityId);
    const now = this.clock.now();
    if (!a.revokedAt)
      await this.db.tx(async (sql) => {
        const done = await sql.prisma.dataAuthorization.updateMany({
          where: { id: a.id, revokedAt: null },
          data: { revokedAt: now },
        });
        if (done.count)
          await appendAudit(
            sql,
            {
              ...actorOf(who),
              action: 'data_authorization.revoke',
              objectType: 'data_authorization',
              objectId: String(a.id),
              entityId: a.entityId,
              detail: { bankId: a.bankId, expired: a.expiresAt <= now },
            },
            { now },
          );
      });
    return (await this.authorizationViews({ id: a.id }, now))[0]!;
  }

  async listAuthorizations(entityId: number | undefined, who: Principal): Promise<DataAuthorizationList> {
    const id = entityOf(who, entityId);
    return { items: await this.authorizationViews({ entityId: id }, this.clock.now()) };
  }

  /**
   * The bank's read: the evaluation and records the enterprise authorised, while the newest live
   * authorisation for this bank lasts. Without one — or without the enterprise — the answer is the
   * same 404, so a bank learns nothing about enterprises that did not authorise it.
   */
  async readCredit(uscc: string, who: Principal): Promise<AuthorizedCredit> {
    requireBank(who);
    const now = this.clock.now();
    const entity = await this.db.prisma.entity.findUnique({ where: usccKey(uscc), select: { id: true } });
    const auth = entity
      ? await this.db.prisma.dataAuthorization.findFirst({
          where: { entityId: entity.id, bankId: who.clientId, revokedAt: null, expiresAt: { gt: now } },
          orderBy: { id: 'desc' },
        })
      : null;
    if (!entity || !auth) throw new AppError(ErrorCodes.NOT_FOUND, NOT_AUTHORIZED);
    const scopes = scopesOf(auth.scopes);
    const read: AuditEntry = {
      ...actorOf(who),
      action: 'loan.credit_read',
      objectType: 'data_authorization',
      objectId: String(auth.id),
      entityId: entity.id,
      detail: { bankId: who.clientId, scopes },
    };
    // getEvaluation writes the audit row in the statement that reads the evaluation.
    const ev = await this.scoring.getEvaluation(entity.id, read);
    return {
      uscc: ev.uscc,
      name: ev.name,
      authorizationId: auth.id,
      scopes,
      expiresAt: auth.expiresAt.toISOString(),
      evaluation: scopes.includes('evaluation')
        ? {
            evaluationId: ev.evaluationId,
            modelVersion: ev.modelVersion,
            asOf: ev.asOf,
            total: ev.total,
            grade: ev.grade,
            groups: ev.groups.map((g) => ({ code: g.code, name: g.name, max: g.max, points: g.points })),
          }
        : null,
      records: scopes.includes('records')
        ? ev.records.map((r) => ({
            recordId: r.recordId,
            kind: r.kind,
            status: r.status,
            occurredOn: r.occurredOn,
            validTo: r.validTo,
            summary: r.summary,
            severity: r.severity,
            authority: r.authority,
            documentNo: r.documentNo,
          }))
        : null,
      readAt: now.toISOString(),
      notice: RESULT_NOTICE,
    };
  }

  // ---- applications ----------------------------------------------------------------------------

  async apply(b: CreateLoanApplication, who: Principal): Promise<LoanApplication> {
    requireUser(who, b.entityId);
    const now = this.clock.now();
    const product = await this.db.prisma.loanProduct.findFirst({
      where: { id: b.productId, active: true, bank: { revokedAt: null } },
    });
    if (!product) throw new AppError(ErrorCodes.NOT_FOUND, '产品不存在或已下架');
    const e = await this.db.prisma.entity.findFirstOrThrow({
      where: { id: b.entityId },
      select: { bucket: true, industryCode: true, regionCode: true, score: { select: { grade: true } } },
    });
    const grade = e.score?.grade ?? null;
    if (!qualifies(product, { grade, industryCode: e.industryCode, regionCode: e.regionCode }))
      throw new AppError(
        ErrorCodes.LOAN_NOT_ELIGIBLE,
        `该产品面向信用等级 ${product.minGrade} 级及以上、符合行业和区域要求的企业，本企业暂不符合申请条件`,
      );
    if (b.amount < product.minAmount || b.amount > product.maxAmount)
      throw new AppError(
        ErrorCodes.LOAN_NOT_ELIGIBLE,
        `申请金额应在 ${product.minAmount} 至 ${product.maxAmount} 万元之间`,
        [{ path: 'body.amount', message: `应在 ${product.minAmount} 至 ${product.maxAmount} 万元之间` }],
      );
    if (b.termMonths > product.termMonths)
      throw new AppError(ErrorCodes.LOAN_NOT_ELIGIBLE, `该产品期限最长 ${product.termMonths} 个月`, [
        { path: 'body.termMonths', message: `最长 ${product.termMonths} 个月` },
      ]);
    const open = await this.db.prisma.loanApplication.count({
      where: { entityId: b.entityId, productId: product.id, status: { in: ['submitted', 'accepted', 'approved'] } },
    });
    if (open) throw new AppError(ErrorCodes.CONFLICT, '该产品已有办理中的申请，请在“我的申请”中查看进度');
    const id = await this.db.tx(async (sql) => {
      const authorizationId = await this.createAuthorization(sql, who, {
        entityId: b.entityId,
        entityBucket: e.bucket,
        bankId: product.bankId,
        scopes: b.authorization.scopes,
        days: b.authorization.days,
        purpose: `信易贷申请：${product.name}`,
        now,
      });
      const app = await sql.prisma.loanApplication.create({
        data: {
          productId: product.id,
          entityId: b.entityId,
          entityBucket: e.bucket,
          userId: who.userId,
          authorizationId,
          amount: b.amount,
          termMonths: b.termMonths,
          purpose: b.purpose,
          status: 'submitted',
          dueAt: new Date(now.getTime() + product.slaDays * DAY_MS),
          createdAt: now,
          updatedAt: now,
          events: { create: { status: 'submitted', at: now, actor: 'enterprise', note: null } },
        },
      });
      await appendAudit(
        sql,
        {
          ...actorOf(who),
          action: 'loan_application.create',
          objectType: 'loan_application',
          objectId: String(app.id),
          entityId: b.entityId,
          detail: { productId: product.id, bankId: product.bankId, amount: b.amount, authorizationId },
        },
        { now },
      );
      return app.id;
    });
    return (await this.applicationViews({ id }, now))[0]!;
  }

  async listMyApplications(entityId: number | undefined, who: Principal): Promise<LoanApplicationList> {
    const id = entityOf(who, entityId);
    return { items: await this.applicationViews({ entityId: id }, this.clock.now()) };
  }

  /** 跟踪评估: every bank's applications by status, the approval rate, amounts and time to decision. */
  async stats(): Promise<LoanStats> {
    const now = this.clock.now();
    const groups = await this.db.prisma.loanApplication.groupBy({
      by: ['status'],
      _count: { _all: true },
      _sum: { amount: true, approvedAmount: true },
    });
    const count = (st: LoanStatus) => groups.find((g) => g.status === st)?._count._all ?? 0;
    const approved = count('approved') + count('disbursed');
    const decided = approved + count('rejected');
    const overdue = await this.db.prisma.loanApplication.count({
      where: { status: { in: ['submitted', 'accepted'] }, dueAt: { lt: now } },
    });
    // Raw SQL: percentiles of the decision time are an ordered-set aggregate the client cannot express.
    const [times] = await this.db.query<{ median: number | null; p90: number | null }>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY h) AS median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY h) AS p90
       FROM (SELECT extract(epoch FROM decided_at - created_at) / 3600 AS h
             FROM loan_application WHERE decided_at IS NOT NULL) d`,
    );
    const hours = (v: number | string | null | undefined) =>
      v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10;
    return {
      total: groups.reduce((n, g) => n + g._count._all, 0),
      byStatus: LOAN_STATUSES.map((status) => ({ status, label: LOAN_STATUS_LABELS[status], count: count(status) })),
      approvalRate: decided ? approved / decided : null,
      requestedAmount: groups.reduce((n, g) => n + (g._sum.amount ?? 0), 0),
      approvedAmount: groups.reduce((n, g) => n + (g._sum.approvedAmount ?? 0), 0),
      decided,
      decisionHoursMedian: hours(times?.median),
      decisionHoursP90: hours(times?.p90),
      overdue,
    };
  }

  async listBankApplications(status: LoanStatus | undefined, who: Principal): Promise<LoanApplicationList> {
    requireBank(who);
    return {
      items: await this.applicationViews(
        { product: { bankId: who.clientId }, ...(status ? { status } : {}) },
        this.clock.now(),
      ),
    };
  }

  async update(applicationId: number, b: UpdateLoanApplication, who: Principal): Promise<LoanApplication> {
    requireBank(who);
    const now = this.clock.now();
    await this.db.tx(async (sql) => {
      const app = await sql.prisma.loanApplication.findFirst({
        where: { id: applicationId, product: { bankId: who.clientId } },
        include: { product: true },
      });
      if (!app) throw new AppError(ErrorCodes.NOT_FOUND, '申请不存在或不属于本行');
      const from = app.status as LoanStatus;
      if (!LOAN_TRANSITIONS[from].includes(b.status))
        throw new AppError(
          ErrorCodes.LOAN_TRANSITION,
          `申请当前为「${LOAN_STATUS_LABELS[from]}」，不能改为「${LOAN_STATUS_LABELS[b.status]}」`,
        );
      if (b.status === 'approved' && b.approvedAmount! > app.product.maxAmount)
        throw new AppError(ErrorCodes.VALIDATION_FAILED, `授信金额不能超过产品最高额度 ${app.product.maxAmount} 万元`, [
          { path: 'body.approvedAmount', message: `不超过 ${app.product.maxAmount} 万元` },
        ]);
      const decided = b.status === 'approved' || b.status === 'rejected';
      // Conditional on the status read: a concurrent move makes this one a refused transition.
      const moved = await sql.prisma.loanApplication.updateMany({
        where: { id: app.id, status: from },
        data: {
          status: b.status,
          updatedAt: now,
          ...(b.status === 'approved'
            ? { approvedAmount: b.approvedAmount!, approvedRateBp: bp(b.approvedRate!) }
            : {}),
          ...(b.status === 'rejected' ? { rejectReason: b.reason! } : {}),
          ...(decided ? { decidedAt: now } : {}),
        },
      });
      if (!moved.count) throw new AppError(ErrorCodes.LOAN_TRANSITION, '申请状态已被更新，请刷新后重试');
      const note =
        b.status === 'approved'
          ? `授信 ${b.approvedAmount} 万元，年化利率 ${b.approvedRate}%${b.note ? `；${b.note}` : ''}`
          : b.status === 'rejected'
            ? b.reason!
            : (b.note ?? null);
      await sql.prisma.loanApplicationEvent.create({
        data: { applicationId: app.id, status: b.status, at: now, actor: 'bank', note },
      });
      await appendAudit(
        sql,
        {
          ...actorOf(who),
          action: 'loan_application.update',
          objectType: 'loan_application',
          objectId: String(app.id),
          entityId: app.entityId,
          detail: { from, to: b.status, note },
        },
        { now },
      );
      await messageUser(sql, {
        at: now,
        inbox: {
          title: `信易贷申请：${LOAN_STATUS_LABELS[b.status]}`,
          body: `${app.product.name}${note ? `：${note}` : ''}`,
          link: { kind: 'loan_application', id: app.id },
        },
        userId: app.userId,
        templateId: templatesOf(this.config).decision,
        messageId: `loan.${b.status}:${app.id}`,
        topic: 'loan.updated',
        entityId: app.entityId,
        page: `packages/loans/pages/applications/index?entityId=${app.entityId}&id=${app.id}`,
        data: {
          thing1: { value: thing(`信易贷申请·${app.product.name}`) },
          phrase2: { value: PHRASE[b.status] },
          thing3: { value: thing(note ?? LOAN_STATUS_LABELS[b.status]) },
          time4: { value: chinaDateTime(now) },
        },
      });
    });
    return (await this.applicationViews({ id: applicationId }, now))[0]!;
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private async bank(bankId: number) {
    const bank = await this.db.prisma.apiClient.findFirst({
      where: { id: bankId, kind: 'bank', revokedAt: null, scopes: { has: LOAN_SCOPE } },
      select: { id: true, name: true },
    });
    if (!bank) throw new AppError(ErrorCodes.NOT_FOUND, '银行不存在或未开通信易贷对接');
    return bank;
  }

  private async createAuthorization(
    sql: Sql,
    who: User,
    a: {
      entityId: number;
      entityBucket: number;
      bankId: number;
      scopes: LoanDataScope[];
      days: number;
      purpose: string;
      now: Date;
    },
  ): Promise<number> {
    const scopes = [...new Set(a.scopes)];
    const row = await sql.prisma.dataAuthorization.create({
      data: {
        entityId: a.entityId,
        entityBucket: a.entityBucket,
        bankId: a.bankId,
        scopes,
        purpose: a.purpose,
        grantedBy: who.userId,
        grantedAt: a.now,
        expiresAt: new Date(a.now.getTime() + a.days * DAY_MS),
      },
    });
    await appendAudit(
      sql,
      {
        ...actorOf(who),
        action: 'data_authorization.grant',
        objectType: 'data_authorization',
        objectId: String(row.id),
        entityId: a.entityId,
        detail: { bankId: a.bankId, scopes, days: a.days, expiresAt: row.expiresAt.toISOString() },
      },
      { now: a.now },
    );
    return row.id;
  }

  private async authorizationViews(where: Prisma.DataAuthorizationWhereInput, now: Date): Promise<DataAuthorization[]> {
    const rows = await this.db.prisma.dataAuthorization.findMany({
      where,
      include: { bank: { select: { name: true } } },
      orderBy: { id: 'desc' },
      take: 200,
    });
    if (!rows.length) return [];
    const reads = await this.db.prisma.auditLog.findMany({
      where: {
        entityId: { in: [...new Set(rows.map((r) => r.entityId))] },
        action: 'loan.credit_read',
        objectType: 'data_authorization',
        objectId: { in: rows.map((r) => String(r.id)) },
      },
      select: { at: true, objectId: true, detail: true },
      orderBy: { id: 'desc' },
    });
    return rows.map((r) => ({
      id: r.id,
      entityId: r.entityId,
      bankId: r.bankId,
      bankName: r.bank.name,
      scopes: scopesOf(r.scopes),
      purpose: r.purpose,
      grantedAt: r.grantedAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      revokedAt: r.revokedAt?.toISOString() ?? null,
      state: authorizationState(r, now),
      reads: reads
        .filter((x) => x.objectId === String(r.id))
        .map((x) => ({ at: x.at.toISOString(), scopes: ((x.detail as { scopes?: string[] }).scopes ?? []).slice() })),
    }));
  }

  private async applicationViews(where: Prisma.LoanApplicationWhereInput, now: Date): Promise<LoanApplication[]> {
    const rows = await this.db.prisma.loanApplication.findMany({
      where,
      include: applicationInclude,
      orderBy: { id: 'desc' },
      take: 200,
    });
    return rows.map((r) => applicationView(r, now));
  }
}

function authorizationState(a: { revokedAt: Date | null; expiresAt: Date }, now: Date) {
  if (a.revokedAt) return 'revoked' as const;
  return a.expiresAt <= now ? ('expired' as const) : ('active' as const);
}

function productView(p: ProductRow): LoanProduct {
  return {
    id: p.id,
    bankId: p.bankId,
    bankName: p.bank.name,
    name: p.name,
    description: p.description,
    minAmount: p.minAmount,
    maxAmount: p.maxAmount,
    minRate: percent(p.minRateBp),
    maxRate: percent(p.maxRateBp),
    termMonths: p.termMonths,
    minGrade: p.minGrade as Grade,
    industries: p.industries,
    regions: p.regions,
    slaDays: p.slaDays,
    active: p.active,
    updatedAt: p.updatedAt.toISOString(),
  };
}

function applicationView(r: ApplicationRow, now: Date): LoanApplication {
  const status = r.status as LoanStatus;
  const undecided = status === 'submitted' || status === 'accepted';
  return {
    id: r.id,
    productId: r.productId,
    productName: r.product.name,
    bankId: r.product.bankId,
    bankName: r.product.bank.name,
    entityId: r.entityId,
    uscc: r.entity.uscc,
    enterpriseName: r.entity.name,
    amount: r.amount,
    termMonths: r.termMonths,
    purpose: r.purpose,
    status,
    statusLabel: LOAN_STATUS_LABELS[status],
    approvedAmount: r.approvedAmount,
    approvedRate: r.approvedRateBp === null ? null : percent(r.approvedRateBp),
    rejectReason: r.rejectReason,
    dueAt: r.dueAt.toISOString(),
    overdue: undecided && r.dueAt <= now,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    authorization: {
      id: r.authorization.id,
      scopes: scopesOf(r.authorization.scopes),
      expiresAt: r.authorization.expiresAt.toISOString(),
      state: authorizationState(r.authorization, now),
    },
    timeline: r.events.map((e) => ({
      status: e.status as LoanStatus,
      statusLabel: LOAN_STATUS_LABELS[e.status as LoanStatus],
      at: e.at.toISOString(),
      note: e.note,
    })),
  };
}
