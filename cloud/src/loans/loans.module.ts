import { Module } from '@nestjs/common';
import { ScoringModule } from '../scoring';
import { LoansController } from './loans.controller';
import { LoansService } from './loans.service';

/** 信易贷 (credit-based loans): products, data authorisation and applications. */
@Module({ imports: [ScoringModule], controllers: [LoansController], providers: [LoansService] })
export class LoansModule {}
