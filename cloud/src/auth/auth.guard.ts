import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, ErrorCodes } from '@heihe/shared';
import type { Request } from 'express';
import { ENDPOINT_META, type EndpointSpec } from '../common/endpoint';
import { Authenticator } from './authenticator';
import type { Principal } from './principal';

export { hashApiKey } from './authenticator';

/** May this principal call this endpoint at all? Object-level checks come later (assertEntityAccess). */
function allowed(spec: EndpointSpec, p: Principal): boolean {
  if (p.kind === 'user') return spec.callers.includes('enterprise');
  if (p.kind === 'staff') return spec.callers.includes(p.role);
  return spec.callers.includes('api_client') && (!spec.scope || p.scopes.includes(spec.scope));
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

/**
 * Every route declares its callers (see Endpoint); a route without a declaration is refused, so
 * nothing is reachable by accident. `Authorization: Bearer <access token>` establishes an
 * enterprise user or a staff member; `x-api-key` an API client. Bad or dead credentials answer
 * 401; good credentials of a caller the endpoint does not admit answer 403.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: Authenticator,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const spec = this.reflector.get<EndpointSpec | undefined>(ENDPOINT_META, ctx.getHandler());
    if (!spec) throw new AppError(ErrorCodes.FORBIDDEN, '该接口未声明调用方');
    if (spec.callers.includes('public')) return true;
    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const authorization = req.header('authorization');
    const key = req.header('x-api-key');
    let principal: Principal | null;
    if (authorization !== undefined) {
      const token = BEARER.exec(authorization.trim())?.[1];
      principal = token ? await this.auth.fromBearer(token) : null;
      if (!principal) throw new AppError(ErrorCodes.UNAUTHENTICATED, '登录已失效，请重新登录');
    } else if (key !== undefined) {
      principal = await this.auth.fromApiKey(key);
      if (!principal) throw new AppError(ErrorCodes.UNAUTHENTICATED, 'API 密钥无效或已吊销');
    } else {
      throw new AppError(ErrorCodes.UNAUTHENTICATED, '请先登录或提供 API 密钥');
    }
    if (!allowed(spec, principal)) {
      const scoped = principal.kind === 'api_client' && spec.callers.includes('api_client') && spec.scope;
      throw new AppError(
        ErrorCodes.FORBIDDEN,
        scoped ? `该 API 客户端无 ${spec.scope} 权限` : '当前身份无权调用该接口',
      );
    }
    req.principal = principal;
    return true;
  }
}
