import { Module } from '@nestjs/common';
import { AccountsService } from './accounts.service';
import { AuditTrailService } from './audit-trail.service';
import { OpsController } from './ops.controller';

/** 运维管理: staff accounts, API clients and the audit trail, for administrators. */
@Module({ controllers: [OpsController], providers: [AccountsService, AuditTrailService] })
export class OpsModule {}
