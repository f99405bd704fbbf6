import { Global, Module } from '@nestjs/common';
import { Config, type AppConfig } from '../config/config';
import { PiiVault } from './pii';

/** Global: identity verification and ingestion seal ID numbers with the one vault of this configuration. */
@Global()
@Module({
  providers: [{ provide: PiiVault, useFactory: (c: AppConfig) => PiiVault.fromConfig(c), inject: [Config.token] }],
  exports: [PiiVault],
})
export class PiiModule {}
