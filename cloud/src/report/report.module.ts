import { Global, Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { Config, type AppConfig } from '../config/config';
import { LocalDiskStorage } from '../evidence';
import { VerifyRateLimiter } from './rate-limit';
import { ReportRenderer, ThreadReportRenderer } from './renderer';
import { ReportController } from './report.controller';
import { CreditReportService, ReportStorage } from './report.service';
import { VerifyGuardInterceptor } from './verify.interceptor';
import { CreditReportVerifier } from './verify.service';

/**
 * The public credit report. Global, so that the public site verifies reports server-side through
 * the exported CreditReportVerifier and shares the per-IP verification limit.
 */
@Global()
@Module({
  imports: [
    // Memory storage: an uploaded report is hashed, never written.
    MulterModule.registerAsync({
      inject: [Config.token],
      useFactory: (c: AppConfig) => ({
        limits: {
          fileSize: c.REPORT_VERIFY_MAX_BYTES,
          files: 1,
          fields: 2,
          parts: 3,
          fieldSize: 1024,
          headerPairs: 50,
        },
      }),
    }),
  ],
  controllers: [ReportController],
  providers: [
    CreditReportService,
    CreditReportVerifier,
    VerifyGuardInterceptor,
    {
      provide: ReportStorage,
      useFactory: (c: AppConfig) => new LocalDiskStorage(c.REPORT_DIR),
      inject: [Config.token],
    },
    {
      provide: VerifyRateLimiter,
      useFactory: (c: AppConfig) => new VerifyRateLimiter(c.REPORT_VERIFY_PER_MINUTE),
      inject: [Config.token],
    },
    // Closed with the app (onModuleDestroy): its thread ends with it.
    { provide: ReportRenderer, useFactory: () => new ThreadReportRenderer() },
  ],
  exports: [CreditReportVerifier, VerifyRateLimiter],
})
export class ReportModule {}
