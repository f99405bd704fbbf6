import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { Config, type AppConfig } from '../config/config';
import { OutboxRegistry } from '../outbox';
import { ScoringModule, ScoringService } from '../scoring';
import { ChecksService } from './checks.service';
import { InvestController } from './invest.controller';
import { InvestRepository } from './invest.repository';
import { InvestService } from './invest.service';
import { RelatedRepository } from './related.repository';
import { ChainsAdminService } from './chains-admin.service';
import { CheckPdfService } from './check-pdf';
import { InvestListsController } from './lists.controller';
import { OwnershipStore } from './ownership.store';
import { OwnershipWarmer } from './ownership.warmer';
import { ParkCheckService } from './park-check.service';
import { ScreeningsService } from './screenings.service';
import { investOutbox } from './watch.outbox';
import { WatchlistService } from './watchlist.service';

/** Hands the outbox relay the watch-list alert handlers before it starts. */
@Injectable()
class InvestOutboxRegistration implements OnModuleInit {
  constructor(private readonly registry: OutboxRegistry) {}

  onModuleInit(): void {
    this.registry.register(investOutbox());
  }
}

/** Has the cycle store its chunks' ownership penetrations ahead of reads (ADR 0026), unless turned off or on several nodes. */
@Injectable()
class OwnershipWarmRegistration implements OnModuleInit {
  constructor(
    private readonly scoring: ScoringService,
    private readonly repo: InvestRepository,
    private readonly store: OwnershipStore,
    @Inject(Config.token) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // On several database nodes the stored results and their lock live on one of them (ADR 0026).
    if (this.config.OWNERSHIP_WARM_DEPTH > 0 && this.scoring.cycles.nodes.nodes.length === 1)
      this.scoring.cycles.follow(new OwnershipWarmer(this.repo, this.store, this.config.OWNERSHIP_WARM_DEPTH));
  }
}

/** 精准招商: entity resolution, ownership, investments, people, risk scan, checks and screening. */
@Module({
  imports: [ScoringModule],
  controllers: [InvestController, InvestListsController],
  providers: [
    InvestService,
    InvestRepository,
    OwnershipStore,
    OwnershipWarmRegistration,
    ChecksService,
    RelatedRepository,
    WatchlistService,
    ScreeningsService,
    ParkCheckService,
    ChainsAdminService,
    CheckPdfService,
    InvestOutboxRegistration,
  ],
})
export class InvestModule {}
