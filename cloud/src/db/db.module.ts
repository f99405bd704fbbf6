import { Global, Module, type DynamicModule, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { Config, type AppConfig } from '../config/config';
import { Database } from './database';

class DbLifecycle implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly db: Database) {}
  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}

/**
 * The process-wide database and config. The database is opened (and migrated) before Nest starts,
 * by openDatabase, so that CLI tools and the API share one path.
 */
@Global()
@Module({})
export class DbModule {
  static forRoot(config: AppConfig, db: Database): DynamicModule {
    return {
      module: DbModule,
      providers: [{ provide: Config.token, useValue: config }, { provide: Database, useValue: db }, DbLifecycle],
      exports: [Config.token, Database],
    };
  }
}
