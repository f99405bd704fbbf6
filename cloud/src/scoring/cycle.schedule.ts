import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { purgeAudit } from '../audit';
import { nextChinaTime } from '../common/china-time';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
import { ScoringService } from './scoring.service';

/**
 * The daily jobs: the scoring cycle, then the audit-retention purge. Only when to start is decided
 * here; the cycle itself is chunked and spread over workers by the dispatcher. Several API
 * processes may each fire: startOrResume returns the cycle already running, so at most one runs at
 * a time, and the purge deletes nothing the second time.
 */
@Injectable()
export class CycleSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('CycleSchedule');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly scoring: ScoringService,
    private readonly db: Database,
    @Inject(Config.token) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SCORING_CYCLE_AT !== 'off' && this.config.NODE_ENV !== 'test') this.arm();
  }

  onModuleDestroy(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  private arm(): void {
    const next = nextChinaTime(new Date(), this.config.SCORING_CYCLE_AT);
    this.timer = setTimeout(() => {
      this.scoring
        .runCycle('schedule', null)
        .catch((e: unknown) => this.log.error(`scheduled cycle: ${e instanceof Error ? e.message : String(e)}`))
        .then(() => purgeAudit(this.db, this.config.AUDIT_RETENTION_DAYS))
        .catch((e: unknown) => this.log.error(`audit purge: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => this.arm());
    }, next.getTime() - Date.now());
    this.timer.unref();
    this.log.log(`next scoring cycle at ${next.toISOString()}`);
  }
}
