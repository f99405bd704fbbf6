import { SecretBox } from '../common/secret-box';
import type { AppConfig } from '../config/config';
import type { Database } from '../db/database';
import { webhookDeliverer } from './deliverers';
import type { OutboxContribution, OutboxRegistry } from './outbox.registry';
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
>;

/** The outbox's own destination: regulator departments' webhooks (`webhook:<subscriptionId>`). */
export function webhookDeliverers(
  db: Database,
  config: RelayConfig,
  resolver: HostResolver = new DnsHostResolver(),
): OutboxContribution {
  return {
    from: 'outbox',
    deliverers: {
      webhook: webhookDeliverer(
        db,
        new SecretBox(config.WEBHOOK_SECRET_KEY),
        new WebhookTargetPolicy(config.WEBHOOK_ALLOWED_HOSTS, resolver),
        config.OUTBOX_HTTP_TIMEOUT_MS,
      ),
    },
  };
}

/**
 * The relay over what the features registered, as the API process and the standalone relay build it:
 * over the buckets from..to (a node's, ADR 0027 step 3), every bucket when unset (the API's).
 */
export function relayOver(
  db: Database,
  config: RelayConfig,
  registry: OutboxRegistry,
  log?: (line: string) => void,
  buckets?: { from: number; to: number },
): OutboxRelay {
  return new OutboxRelay(
    db,
    registry.deliverers,
    registry.handlers,
    {
      batchSize: config.OUTBOX_BATCH_SIZE,
      leaseMs: config.OUTBOX_LEASE_MS,
      backoffBaseMs: config.OUTBOX_BACKOFF_BASE_MS,
      backoffMaxMs: config.OUTBOX_BACKOFF_MAX_MS,
      maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
      buckets,
    },
    log,
  );
}
