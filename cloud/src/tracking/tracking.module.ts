import { Module } from '@nestjs/common';
import { TrackingController } from './tracking.controller';
import { TrackingService } from './tracking.service';

/** 跟踪评估: the staff dashboard's statistics. */
@Module({ controllers: [TrackingController], providers: [TrackingService] })
export class TrackingModule {}
