import { Inject, Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
import { WechatApi } from '../wechat/wechat.port';
import { OutboxController } from './outbox.controller';
import { OutboxRelay } from './relay';
import { buildRelay } from './relay.factory';
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

@Module({
  controllers: [OutboxController],
  providers: [
    {
      provide: OutboxRelay,
      useFactory: (db: Database, config: AppConfig, wechat: WechatApi, resolver: HostResolver) => {
        const log = new Logger('Outbox');
        return buildRelay(db, config, wechat, (line) => log.warn(line), resolver);
      },
      inject: [Database, Config.token, WechatApi, HostResolver],
    },
    { provide: HostResolver, useClass: DnsHostResolver },
    RelayLifecycle,
    SubscriptionsService,
  ],
  exports: [OutboxRelay],
})
export class OutboxModule {}
