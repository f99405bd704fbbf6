import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, ErrorCodes } from '@heihe/shared';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
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

/** Validates params, query and body against the endpoint's zod schemas, and replaces them parsed. */
@Injectable()
export class ValidationInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<EndpointSpec | undefined>(ENDPOINT_META, ctx.getHandler());
    if (spec) {
      const req = ctx.switchToHttp().getRequest<Request>();
      if (spec.params) req.params = check(spec.params, req.params, 'params') as Request['params'];
      if (spec.query) Object.defineProperty(req, 'query', { value: check(spec.query, req.query, 'query') });
      if (spec.body) req.body = check(spec.body, req.body, 'body');
    }
    return next.handle();
  }
}
