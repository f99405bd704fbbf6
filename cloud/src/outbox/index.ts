/**
 * What other features use of the outbox: enqueueing in the caller's transaction, registering
 * deliverers and handlers through DI, and building the relay with its webhook target policy.
 */
export { enqueue, messageBucket, noticeRegulators } from './outbox';
export { canonicalJson, resultHash, sealResult, type ResultContent } from './result-payload';
export { OutboxRegistry, type OutboxContribution } from './outbox.registry';
export {
  claimQuery,
  OutboxRelay,
  type ClaimedMessage,
  type Deliverer,
  type DeliveryOutcome,
  type InternalHandler,
  type RelayOptions,
} from './relay';
export { relayOver, webhookDeliverers, type RelayConfig } from './relay.factory';
export { DnsHostResolver, WebhookTargetPolicy, type HostResolver, type ResolvedAddress } from './webhook-target';
export { verifyWebhook } from './webhook-signer';
