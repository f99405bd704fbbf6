import { Module } from '@nestjs/common';
import { ResultFeedService } from './feed.service';
import { IncentivesService } from './incentives.service';
import { ResultsController } from './results.controller';

/** Results in use (信用评价结果应用): green channel, 信易贷 recommendations and the result feed. */
@Module({ controllers: [ResultsController], providers: [IncentivesService, ResultFeedService] })
export class ResultsModule {}
