import { SecretBox } from '../common/secret-box';
import type { AppConfig } from '../config/config';
import type { Database } from '../db/database';
import { gradeChangedHandler } from '../notify/notify';
import type { WechatApi } from '../wechat/wechat.port';
import { webhookDeliverer, wechatDeliverer } from './deliverers';
import { OutboxRelay } from './relay';
import { DnsHostResolver, type HostResolver, WebhookTargetPolicy } from './webhook-target';

export type RelayConfig = Pick<
  AppConfig,
  | 'OUTBOX_BATCH_SIZE'
  | 'OUTBOX_LEASE_MS'
  | 'OUTBOX_BACKOFF_BASE_MS'
  | 'OUTBOX_BACKOFF_MAX_MS'
  | 'OUTBOX_MAX_ATTEMPTS'
  | 'OUTBOX_HTTP_TIMEOUT_MS'
  | 'WEBHOOK_SECRET_KEY'
  | 'WEBHOOK_ALLOWED_HOSTS'
  | 'WECHAT_TEMPLATE_DECISION'
  | 'WECHAT_TEMPLATE_GRADE'
>;

/** The relay as the API process and the `outbox:relay` CLI both build it. */
export function buildRelay(
  db: Database,
  config: RelayConfig,
  wechat: WechatApi,
  log?: (line: string) => void,
  resolver: HostResolver = new DnsHostResolver(),
): OutboxRelay {
  return new OutboxRelay(
    db,
    {
      webhook: webhookDeliverer(
        db,
        new SecretBox(config.WEBHOOK_SECRET_KEY),
        new WebhookTargetPolicy(config.WEBHOOK_ALLOWED_HOSTS, resolver),
        config.OUTBOX_HTTP_TIMEOUT_MS,
      ),
      wechat: wechatDeliverer(db, wechat),
    },
    {
      'grade.changed': gradeChangedHandler({
        decision: config.WECHAT_TEMPLATE_DECISION,
        grade: config.WECHAT_TEMPLATE_GRADE,
      }),
    },
    {
      batchSize: config.OUTBOX_BATCH_SIZE,
      leaseMs: config.OUTBOX_LEASE_MS,
      backoffBaseMs: config.OUTBOX_BACKOFF_BASE_MS,
      backoffMaxMs: config.OUTBOX_BACKOFF_MAX_MS,
      maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    },
    log,
  );
}
