import fs from 'node:fs';
import { NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { AppModule } from './app.module';
import { AuthGuard } from './auth/auth.guard';
import { Authenticator } from './auth/authenticator';
import { ErrorFilter } from './common/error.filter';
import { ValidationInterceptor } from './common/validation.interceptor';
import type { AppConfig } from './config/config';
import type { Database } from './db/database';

export interface BootstrapOptions {
  /** A built H5 folder to serve at '/', beside the API at '/api'. */
  staticDir?: string;
  logger?: boolean;
}

/**
 * The one way to assemble the app: main.ts and every e2e test call this, so prefixes, guards,
 * filters and headers are identical under test.
 */
export async function bootstrap(
  config: AppConfig,
  db: Database,
  opts: BootstrapOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, db), {
    logger: opts.logger === false ? false : ['error', 'warn'],
    bodyParser: false,
  });
  app.disable('x-powered-by');
  app.use((_req: express.Request, res: express.Response, next: express.NextFunction) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  });
  app.use('/api', express.json({ limit: '20mb' }));
  app.setGlobalPrefix('api');
  const reflector = app.get(Reflector);
  app.useGlobalFilters(new ErrorFilter());
  app.useGlobalGuards(new AuthGuard(reflector, app.get(Authenticator)));
  app.useGlobalInterceptors(new ValidationInterceptor(reflector));
  if (opts.staticDir && fs.existsSync(opts.staticDir)) {
    app.use(express.static(opts.staticDir, { index: 'index.html', maxAge: '1h' }));
  }
  await app.init();
  return app;
}
