import { Inject, Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
import { AuditSealer } from './seal';

/**
 * Runs the audit sealer in the API process: at start-up (rows a crash left unsealed) and every
 * AUDIT_SEAL_INTERVAL_MS. Not under NODE_ENV=test, where suites seal when they mean to.
 */
class AuditSealLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly sealer: AuditSealer;

  constructor(
    @Inject(Database) db: Database,
    @Inject(Config.token) private readonly config: AppConfig,
  ) {
    const log = new Logger('AuditSealer');
    this.sealer = new AuditSealer(db, (line) => log.error(line));
  }

  onApplicationBootstrap(): void {
    if (this.config.AUDIT_SEAL_INTERVAL_MS > 0 && this.config.NODE_ENV !== 'test')
      this.sealer.start(this.config.AUDIT_SEAL_INTERVAL_MS);
  }

  // Before the database closes (that is an application-shutdown hook).
  async onModuleDestroy(): Promise<void> {
    await this.sealer.stop();
  }
}

@Module({ providers: [AuditSealLifecycle] })
export class AuditModule {}
