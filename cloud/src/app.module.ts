import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ClockModule } from './common/clock.module';
import type { AppConfig } from './config/config';
import type { Database } from './db/database';
import { DbModule } from './db/db.module';
import { HealthController } from './health';
import { IdentityModule } from './identity/identity.module';
import { IngestModule } from './ingest/ingest.module';
import { InvestModule } from './invest/invest.module';
import { ScoringModule } from './scoring/scoring.module';
import { CalendarModule } from './calendar/calendar.module';
import { EvidenceModule } from './evidence/evidence.module';
import { GoodInfoModule } from './good-info/good-info.module';
import { NotifyModule } from './notify/notify.module';
import { ObjectionsModule } from './objections/objections.module';
import { OutboxModule } from './outbox/outbox.module';
import { PiiModule } from './pii/pii.module';
import { RepairModule } from './repair/repair.module';
import { ReviewModule } from './review/review.module';
import { ResultsModule } from './results/results.module';
import { ReportModule } from './report/report.module';
import { SiteModule } from './site';
import { LoansModule } from './loans';
import { OpsModule } from './ops';
import { TrackingModule } from './tracking';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, db: Database): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DbModule.forRoot(config, db),
        ClockModule,
        PiiModule,
        AuditModule,
        AuthModule,
        IdentityModule,
        IngestModule,
        ScoringModule,
        // Enterprise rights (权益保护): the calendar is global to the rest.
        ReviewModule,
        CalendarModule,
        EvidenceModule,
        ObjectionsModule,
        GoodInfoModule,
        RepairModule,
        NotifyModule,
        OutboxModule,
        ResultsModule,
        InvestModule,
        ReportModule,
        SiteModule,
        LoansModule,
        OpsModule,
        TrackingModule,
      ],
      controllers: [HealthController],
    };
  }
}
