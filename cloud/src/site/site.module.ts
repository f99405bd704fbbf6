import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import path from 'node:path';
import { Config, type AppConfig } from '../config/config';
import { LocalDiskStorage } from '../evidence';
import { OutboxRegistry } from '../outbox';
import { CasePhotoStorage } from './cases.service';
import { TypicalCasesController } from './cases.controller';
import { TypicalCasesService } from './cases.service';
import { PageErrorFilter, SitePagesController } from './pages.controller';
import { PublicSiteController } from './public.controller';
import { PublicSiteService } from './public.service';
import { ReportVerifier } from './report-verifier';
import { SiteRenderer } from './renderer';
import { SiteLimiter } from './site-limiter';
import { siteOutbox } from './site.outbox';

/** Hands the outbox relay the automatic withdrawals (a negative record, a downgrade) before it starts. */
@Injectable()
class SiteOutboxRegistration implements OnModuleInit {
  constructor(private readonly registry: OutboxRegistry) {}

  onModuleInit(): void {
    this.registry.register(siteOutbox());
  }
}

/**
 * The public site 信用中国（黑河）: its API (/api/public, no sign-in, limited per IP), the typical
 * cases' lifecycle for staff (/api/cases) and the server-rendered pages at /site/.
 */
@Module({
  controllers: [PublicSiteController, TypicalCasesController, SitePagesController],
  providers: [
    PublicSiteService,
    TypicalCasesService,
    SiteLimiter,
    PageErrorFilter,
    ReportVerifier,
    SiteOutboxRegistration,
    // The evidence file storage, in a folder of its own: case photos are public once published.
    {
      provide: CasePhotoStorage,
      useFactory: (c: AppConfig) => new LocalDiskStorage(path.join(c.EVIDENCE_DIR, 'typical-cases')),
      inject: [Config.token],
    },
    { provide: SiteRenderer, useFactory: () => new SiteRenderer() },
  ],
})
export class SiteModule {}
