import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '../common/clock';
import { ReviewController } from './review.controller';
import { ReviewService } from './review.service';

/** Global for the Clock: every rights workflow stamps its decisions from the same clock. */
@Global()
@Module({
  controllers: [ReviewController],
  providers: [{ provide: Clock, useClass: SystemClock }, ReviewService],
  exports: [Clock],
})
export class ReviewModule {}
