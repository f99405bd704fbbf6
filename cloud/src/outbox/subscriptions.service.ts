import { Inject, Injectable } from '@nestjs/common';
import { AppError, ErrorCodes } from '@heihe/shared';
import { appendAudit } from '../audit';
import { actorOf, type Principal } from '../auth';
import { SecretBox } from '../common/secret-box';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
import { isoOrNull } from '../db/values';
import { Clock } from '../common/clock';
import type { Prisma } from '../generated/prisma/client';
import { newWebhookSecret } from './webhook-signer';
import { HostResolver, WebhookTargetPolicy } from './webhook-target';

/** A subscription as the API shows it: never its secret. */
const VISIBLE = {
  id: true,
  name: true,
  webhookUrl: true,
  industryPrefix: true,
  regionPrefix: true,
  createdAt: true,
  disabledAt: true,
} satisfies Prisma.RegulatorSubscriptionSelect;

const view = (r: Prisma.RegulatorSubscriptionGetPayload<{ select: typeof VISIBLE }>) => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
  disabledAt: isoOrNull(r.disabledAt),
});

/** Regulator departments' webhooks (行业主管部门), subscribed by industry and/or region prefix. */
@Injectable()
export class SubscriptionsService {
  private readonly secrets: SecretBox;
  private readonly targets: WebhookTargetPolicy;

  constructor(
    private readonly db: Database,
    @Inject(Config.token) config: AppConfig,
    private readonly clock: Clock,
    resolver: HostResolver,
  ) {
    this.secrets = new SecretBox(config.WEBHOOK_SECRET_KEY);
    this.targets = new WebhookTargetPolicy(config.WEBHOOK_ALLOWED_HOSTS, resolver);
  }

  async create(
    b: { name: string; webhookUrl: string; industryPrefix: string | null; regionPrefix: string | null },
    by: Principal,
  ) {
    // The relay checks again before every delivery; this refuses what is wrong already now.
    const target = await this.targets.check(b.webhookUrl);
    if (!target.ok)
      throw new AppError(ErrorCodes.VALIDATION_FAILED, `不允许的回调地址：${target.reason}`, [
        { path: 'webhookUrl', message: target.reason },
      ]);
    const secret = newWebhookSecret();
    const at = this.clock.now();
    const row = await this.db.tx(async (sql) => {
      const r = await sql.prisma.regulatorSubscription.create({
        data: {
          name: b.name,
          webhookUrl: b.webhookUrl,
          secretCipher: this.secrets.seal(secret),
          industryPrefix: b.industryPrefix,
          regionPrefix: b.regionPrefix,
          createdAt: at,
        },
        select: VISIBLE,
      });
      await appendAudit(
        sql,
        {
          ...actorOf(by),
          action: 'subscription.create',
          objectType: 'regulator_subscription',
          objectId: String(r.id),
          detail: { name: b.name, industryPrefix: b.industryPrefix, regionPrefix: b.regionPrefix },
        },
        { now: at },
      );
      return r;
    });
    return { ...view(row), secret };
  }

  async list() {
    const rows = await this.db.prisma.regulatorSubscription.findMany({ select: VISIBLE, orderBy: { id: 'asc' } });
    return { items: rows.map(view) };
  }

  async disable(id: number, by: Principal) {
    const at = this.clock.now();
    return this.db.tx(async (sql) => {
      // A subscription disabled before keeps the time it was first disabled.
      await sql.prisma.regulatorSubscription.updateMany({ where: { id, disabledAt: null }, data: { disabledAt: at } });
      const r = await sql.prisma.regulatorSubscription.findUnique({ where: { id }, select: VISIBLE });
      if (!r) throw new AppError(ErrorCodes.NOT_FOUND, '订阅不存在');
      await appendAudit(
        sql,
        { ...actorOf(by), action: 'subscription.disable', objectType: 'regulator_subscription', objectId: String(id) },
        { now: at },
      );
      return view(r);
    });
  }

  /** What the relay has not delivered yet, and what it gave up on. */
  async outboxStatus(maxAttempts: number) {
    // One statement, so the counts and the oldest time come from one snapshot.
    const byAttempts = await this.db.prisma.outbox.groupBy({
      by: ['attempts'],
      where: { deliveredAt: null },
      _count: { _all: true },
      _min: { createdAt: true },
    });
    const count = (which: (attempts: number) => boolean) =>
      byAttempts.filter((g) => which(g.attempts)).reduce((n, g) => n + g._count._all, 0);
    const oldest = byAttempts.reduce<Date | null>((o, g) => {
      const at = g._min.createdAt;
      return at !== null && (o === null || at < o) ? at : o;
    }, null);
    const parked = await this.db.prisma.outbox.findMany({
      where: { deliveredAt: null, attempts: { gte: maxAttempts } },
      select: { id: true, messageId: true, destination: true, topic: true, attempts: true, lastError: true },
      orderBy: { id: 'asc' },
      take: 100,
    });
    return {
      pending: count((a) => a === 0),
      retrying: count((a) => a > 0 && a < maxAttempts),
      parked: count((a) => a >= maxAttempts),
      oldestUndeliveredAt: isoOrNull(oldest),
      parkedItems: parked.map((p) => ({ ...p, id: String(p.id) })),
    };
  }

  /** Puts a parked message back in line. */
  async retry(id: string, by: Principal) {
    return this.db.tx(async (sql) => {
      // Due now by the process's clock, as the relay schedules retries; the workflow clock may be elsewhere.
      const { count } = await sql.prisma.outbox.updateMany({
        where: { id: BigInt(id), deliveredAt: null },
        data: { attempts: 0, availableAt: new Date() },
      });
      if (!count) throw new AppError(ErrorCodes.NOT_FOUND, '消息不存在或已送达');
      await appendAudit(sql, { ...actorOf(by), action: 'outbox.retry', objectType: 'outbox', objectId: id });
      return { requeued: true };
    });
  }
}
