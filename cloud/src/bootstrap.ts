import fs from 'node:fs';
import path from 'node:path';
import { RequestMethod } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { AppModule } from './app.module';
import { AuthGuard, Authenticator } from './auth';
import { registeredEndpoints, routePath } from './common/endpoint';
import { ErrorFilter } from './common/error.filter';
import { ValidationInterceptor } from './common/validation.interceptor';
import { REPO_ROOT, type AppConfig } from './config/config';
import type { Database } from './db/database';

export interface BootstrapOptions {
  /** A built H5 folder to serve at '/', beside the API at '/api'. */
  staticDir?: string;
  /**
   * The staff console's build, served at '/console/' with its index.html for every page path.
   * Default, when the H5 app is served: web/dist/console (what `npm start` builds).
   */
  consoleDir?: string;
  logger?: boolean;
}

/** Every JSON body up to 1 MB, before authentication. */
const JSON_LIMIT = '1mb';

/**
 * The app-wide JSON body parser (1 MB, read before authentication), which leaves the bodies of
 * routes with their own `bodyLimit` (ingestRecords) unread: the validation interceptor reads those
 * after the auth guard, so a large body costs nothing to a caller without a key.
 */
function jsonBodies(): express.RequestHandler {
  const parse = express.json({ limit: JSON_LIMIT });
  const own = registeredEndpoints()
    .filter((e) => e.spec.bodyLimit)
    .map((e) => ({
      method: e.spec.method,
      path: new RegExp(`^${routePath(e.controller, e.spec, '').replace(/:\w+/g, '[^/]+')}/?$`),
    }));
  return (req, res, next) =>
    own.some((r) => r.method === req.method && r.path.test(req.path)) ? next() : parse(req, res, next);
}

/**
 * The console, a single-page app: its files (hashed assets cached for long), and its index.html for
 * any other GET so that a deep link or a reload opens the page; a missing asset stays a 404.
 */
function consoleApp(dir: string): express.Router {
  const router = express.Router();
  router.use(
    '/assets',
    express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }),
  );
  router.use(express.static(dir, { index: false, maxAge: '1h' }));
  router.get(/.*/, (req, res, next) => {
    if (path.extname(req.path)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(path.join(dir, 'index.html'));
  });
  return router;
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
  if (config.TRUST_PROXY)
    app.set('trust proxy', /^\d+$/.test(config.TRUST_PROXY) ? Number(config.TRUST_PROXY) : config.TRUST_PROXY);
  app.use((_req: express.Request, res: express.Response, next: express.NextFunction) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  });
  app.use('/api', jsonBodies());
  // The public site's pages (cloud/src/site) live at /site/, beside the API.
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'site', method: RequestMethod.ALL },
      { path: 'site/{*rest}', method: RequestMethod.ALL },
    ],
  });
  const reflector = app.get(Reflector);
  app.useGlobalFilters(new ErrorFilter());
  app.useGlobalGuards(new AuthGuard(reflector, app.get(Authenticator)));
  app.useGlobalInterceptors(new ValidationInterceptor(reflector));
  const consoleDir = opts.consoleDir ?? (opts.staticDir ? path.join(REPO_ROOT, 'web', 'dist', 'console') : undefined);
  if (consoleDir && fs.existsSync(path.join(consoleDir, 'index.html'))) app.use('/console', consoleApp(consoleDir));
  if (opts.staticDir && fs.existsSync(opts.staticDir)) {
    app.use(express.static(opts.staticDir, { index: 'index.html', maxAge: '1h' }));
  }
  await app.init();
  return app;
}
