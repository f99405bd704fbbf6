import { Module } from '@nestjs/common';
import { GoodInfoController } from './good-info.controller';
import { GoodInfoService } from './good-info.service';

@Module({ controllers: [GoodInfoController], providers: [GoodInfoService], exports: [GoodInfoService] })
export class GoodInfoModule {}
