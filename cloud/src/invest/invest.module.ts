import { Module } from '@nestjs/common';
import { InvestController } from './invest.controller';
import { InvestRepository } from './invest.repository';
import { InvestService } from './invest.service';

/** 精准招商: entity resolution, ownership penetration, outbound investments and screening. */
@Module({ controllers: [InvestController], providers: [InvestService, InvestRepository] })
export class InvestModule {}
