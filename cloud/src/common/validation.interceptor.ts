import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, ErrorCodes } from '@heihe/shared';
import express, { type Request, type Response } from 'express';
import { defer, type Observable, switchMap } from 'rxjs';
import type { z } from 'zod';
import { ENDPOINT_META, type EndpointSpec } from './endpoint';

function check<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new AppError(
    ErrorCodes.VALIDATION_FAILED,
    '请求参数有误，请按提示修改后重试',
    r.error.issues.map((i) => ({ path: [where, ...i.path].join('.'), message: i.message })),
  );
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

const largeParsers = new Map<string, express.RequestHandler>();

/** Reads the JSON body of a route with its own `bodyLimit`, which bootstrap's parser left unread. */
function parseLargeBody(req: Request, res: Response, limit: string): Promise<void> {
  let parse = largeParsers.get(limit);
  if (!parse) largeParsers.set(limit, (parse = express.json({ limit })));
  return new Promise((resolve, reject) => parse(req, res, (e?: unknown) => (e ? reject(e) : resolve())));
}

/**
 * Validates params, query and body against the endpoint's zod schemas, and replaces them parsed.
 * Runs after the auth guard, so a route's large body (`bodyLimit`) is read only for admitted callers.
 */
@Injectable()
export class ValidationInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<EndpointSpec | undefined>(ENDPOINT_META, ctx.getHandler());
    if (!spec) return next.handle();
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    return defer(async () => {
      if (spec.params) req.params = check(spec.params, req.params, 'params') as Request['params'];
      if (spec.query) Object.defineProperty(req, 'query', { value: check(spec.query, req.query, 'query') });
      if (spec.body) {
        if (hasBody(req) && !req.is('application/json'))
          throw new AppError(ErrorCodes.UNSUPPORTED_MEDIA_TYPE, '不支持的请求内容类型，请以 application/json 提交');
        if (spec.bodyLimit) await parseLargeBody(req, res, spec.bodyLimit);
        req.body = check(spec.body, req.body, 'body');
      }
    }).pipe(switchMap(() => next.handle()));
  }
}
