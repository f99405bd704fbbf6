import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import type { AppConfig } from './config/config';
import type { Database } from './db/database';
import { DbModule } from './db/db.module';
import { HealthController } from './health/health.controller';
import { IdentityModule } from './identity/identity.module';
import { IngestModule } from './ingest/ingest.module';
import { ScoringModule } from './scoring/scoring.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, db: Database): DynamicModule {
    return {
      module: AppModule,
      imports: [DbModule.forRoot(config, db), AuthModule, IdentityModule, IngestModule, ScoringModule],
      controllers: [HealthController],
    };
  }
}
