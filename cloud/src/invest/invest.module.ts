import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { OutboxRegistry } from '../outbox';
import { ChecksService } from './checks.service';
import { InvestController } from './invest.controller';
import { InvestRepository } from './invest.repository';
import { InvestService } from './invest.service';
import { RelatedRepository } from './related.repository';
import { ChainsAdminService } from './chains-admin.service';
import { CheckPdfService } from './check-pdf';
import { InvestListsController } from './lists.controller';
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

/** 精准招商: entity resolution, ownership, investments, people, risk scan, checks and screening. */
@Module({
  controllers: [InvestController, InvestListsController],
  providers: [
    InvestService,
    InvestRepository,
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
