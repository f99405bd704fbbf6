import { Module } from '@nestjs/common';
import { ScoringController } from './scoring.controller';
import { CycleSchedule } from './cycle.schedule';
import { ScoringService } from './scoring.service';

@Module({ controllers: [ScoringController], providers: [ScoringService, CycleSchedule], exports: [ScoringService] })
export class ScoringModule {}
