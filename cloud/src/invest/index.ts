/** What the app and the tools use of 精准招商: the module, and the services the benchmark drives. */
export { InvestModule } from './invest.module';
export { InvestService } from './invest.service';
export { InvestRepository } from './invest.repository';
export { ChecksService } from './checks.service';
export { RelatedRepository } from './related.repository';
export { investOutbox, WATCH_ALERT_TOPIC } from './watch.outbox';
export { OwnershipStore } from './ownership.store';
export { OwnershipWarmer, ownershipWarmerOver } from './ownership.warmer';
