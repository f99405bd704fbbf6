import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { OutboxRegistry } from '../outbox';
import { ResultFeedService } from './feed.service';
import { IncentivesService } from './incentives.service';
import { ResultsController } from './results.controller';
import { resultsOutbox } from './results.outbox';
import { ResultUseService } from './use.service';
import { XinyiPlusService } from './xinyi-plus.service';

/** Hands the outbox relay the push of grade changes to departments before it starts. */
@Injectable()
class ResultsOutboxRegistration implements OnModuleInit {
  constructor(private readonly registry: OutboxRegistry) {}

  onModuleInit(): void {
    this.registry.register(resultsOutbox());
  }
}

/** Results in use (信用评价结果应用): green channel, 信易贷 recommendations, the result feed and its push. */
@Module({
  controllers: [ResultsController],
  providers: [IncentivesService, ResultFeedService, ResultUseService, XinyiPlusService, ResultsOutboxRegistration],
})
export class ResultsModule {}
