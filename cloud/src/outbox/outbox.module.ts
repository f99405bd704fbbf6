import { Global, Inject, Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
import { OutboxController } from './outbox.controller';
import { OutboxRegistry } from './outbox.registry';
import { OutboxRelay } from './relay';
import { relayOver, webhookDeliverers } from './relay.factory';
import { SubscriptionsService } from './subscriptions.service';
import { DnsHostResolver, HostResolver } from './webhook-target';

/** Runs the relay inside the API process unless OUTBOX_RELAY_ENABLED=false (then run `outbox:relay`). */
class RelayLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(Config.token) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.OUTBOX_RELAY_ENABLED) this.relay.start(this.config.OUTBOX_POLL_MS);
  }

  // Before the database closes (that is an application-shutdown hook).
  async onModuleDestroy(): Promise<void> {
    await this.relay.stop();
  }
}

/**
 * Regulator subscriptions and the relay. Features above the outbox register their deliverers and
 * internal handlers into OutboxRegistry (see NotifyModule); the outbox imports none of them. Global,
 * like the Clock: a feature registers without importing this module.
 */
@Global()
@Module({
  controllers: [OutboxController],
  providers: [
    {
      provide: OutboxRegistry,
      useFactory: (db: Database, config: AppConfig, resolver: HostResolver) =>
        new OutboxRegistry().register(webhookDeliverers(db, config, resolver)),
      inject: [Database, Config.token, HostResolver],
    },
    {
      provide: OutboxRelay,
      useFactory: (db: Database, config: AppConfig, registry: OutboxRegistry) => {
        const log = new Logger('Outbox');
        return relayOver(db, config, registry, (line) => log.warn(line));
      },
      inject: [Database, Config.token, OutboxRegistry],
    },
    { provide: HostResolver, useClass: DnsHostResolver },
    RelayLifecycle,
    SubscriptionsService,
  ],
  exports: [OutboxRegistry, OutboxRelay],
})
export class OutboxModule {}
