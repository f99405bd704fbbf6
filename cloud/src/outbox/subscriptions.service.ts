import { Inject, Injectable } from '@nestjs/common';
import { AppError, ErrorCodes } from '@heihe/shared';
import { appendAudit } from '../audit/audit';
import { actorOf, type Principal } from '../auth/principal';
import { SecretBox } from '../common/secret-box';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
import { Clock } from '../common/clock';
import { newWebhookSecret } from './webhook-signer';
import { HostResolver, WebhookTargetPolicy } from './webhook-target';

interface Row {
  id: number;
  name: string;
  webhookUrl: string;
  industryPrefix: string | null;
  regionPrefix: string | null;
  createdAt: Date | string;
  disabledAt: Date | string | null;
}

const COLUMNS = `id, name, webhook_url AS "webhookUrl", industry_prefix AS "industryPrefix", region_prefix AS "regionPrefix",
  created_at AS "createdAt", disabled_at AS "disabledAt"`;
const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();
const view = (r: Row) => ({
  ...r,
  createdAt: iso(r.createdAt),
  disabledAt: r.disabledAt === null ? null : iso(r.disabledAt),
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
      const [r] = await sql.query<Row>(
        `INSERT INTO regulator_subscription (name, webhook_url, secret_cipher, industry_prefix, region_prefix, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [b.name, b.webhookUrl, this.secrets.seal(secret), b.industryPrefix, b.regionPrefix, at.toISOString()],
      );
      await appendAudit(
        sql,
        {
          ...actorOf(by),
          action: 'subscription.create',
          objectType: 'regulator_subscription',
          objectId: String(r!.id),
          detail: { name: b.name, industryPrefix: b.industryPrefix, regionPrefix: b.regionPrefix },
        },
        { now: at },
      );
      return r!;
    });
    return { ...view(row), secret };
  }

  async list() {
    return { items: (await this.db.query<Row>(`SELECT ${COLUMNS} FROM regulator_subscription ORDER BY id`)).map(view) };
  }

  async disable(id: number, by: Principal) {
    const at = this.clock.now();
    return this.db.tx(async (sql) => {
      const [r] = await sql.query<Row>(
        `UPDATE regulator_subscription SET disabled_at = coalesce(disabled_at, $2) WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, at.toISOString()],
      );
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
    const [c] = await this.db.query<{
      pending: number;
      retrying: number;
      parked: number;
      oldest: Date | string | null;
    }>(
      `SELECT count(*) FILTER (WHERE attempts = 0)::int AS pending,
              count(*) FILTER (WHERE attempts > 0 AND attempts < $1)::int AS retrying,
              count(*) FILTER (WHERE attempts >= $1)::int AS parked,
              min(created_at) AS oldest
       FROM outbox WHERE delivered_at IS NULL`,
      [maxAttempts],
    );
    const parked = await this.db.query<{
      id: string;
      messageId: string;
      destination: string;
      topic: string;
      attempts: number;
      lastError: string | null;
    }>(
      `SELECT id::text, message_id AS "messageId", destination, topic, attempts, last_error AS "lastError"
       FROM outbox WHERE delivered_at IS NULL AND attempts >= $1 ORDER BY id LIMIT 100`,
      [maxAttempts],
    );
    return {
      pending: c!.pending,
      retrying: c!.retrying,
      parked: c!.parked,
      oldestUndeliveredAt: c!.oldest === null ? null : iso(c!.oldest),
      parkedItems: parked,
    };
  }

  /** Puts a parked message back in line. */
  async retry(id: string, by: Principal) {
    return this.db.tx(async (sql) => {
      const rows = await sql.query(
        `UPDATE outbox SET attempts = 0, available_at = now() WHERE id = $1::bigint AND delivered_at IS NULL RETURNING id`,
        [id],
      );
      if (!rows.length) throw new AppError(ErrorCodes.NOT_FOUND, '消息不存在或已送达');
      await appendAudit(sql, { ...actorOf(by), action: 'outbox.retry', objectType: 'outbox', objectId: id });
      return { requeued: true };
    });
  }
}
