import { Module } from '@nestjs/common';
import { ChecksService } from './checks.service';
import { InvestController } from './invest.controller';
import { InvestRepository } from './invest.repository';
import { InvestService } from './invest.service';
import { RelatedRepository } from './related.repository';

/** 精准招商: entity resolution, ownership, investments, people, risk scan, checks and screening. */
@Module({
  controllers: [InvestController],
  providers: [InvestService, InvestRepository, ChecksService, RelatedRepository],
})
export class InvestModule {}
