import crypto from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, ErrorCodes } from '@heihe/shared';
import type { Request } from 'express';
import { Database } from '../db/database';
import { ENDPOINT_META, type EndpointSpec } from '../common/endpoint';

import type { Principal } from './principal';

export function hashApiKey(key: string): string {
  return crypto.createHash('sha256').update(key).digest('hex');
}

/**
 * Every route declares its callers (see Endpoint); a route without a declaration is refused, so
 * nothing is reachable by accident.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly db: Database,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const spec = this.reflector.get<EndpointSpec | undefined>(ENDPOINT_META, ctx.getHandler());
    if (!spec) throw new AppError(ErrorCodes.FORBIDDEN, '该接口未声明调用方');
    if (spec.callers.includes('public')) return true;
    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const key = req.header('x-api-key');
    if (key && spec.callers.includes('api_client')) {
      const [client] = await this.db.query<{ id: number; name: string; scopes: string[] }>(
        `SELECT id, name, scopes FROM api_client WHERE key_hash = $1 AND revoked_at IS NULL`,
        [hashApiKey(key)],
      );
      if (!client) throw new AppError(ErrorCodes.UNAUTHENTICATED, 'API 密钥无效或已吊销');
      if (spec.scope && !client.scopes.includes(spec.scope))
        throw new AppError(ErrorCodes.FORBIDDEN, `该 API 客户端无 ${spec.scope} 权限`);
      req.principal = { kind: 'api_client', clientId: client.id, name: client.name, scopes: client.scopes };
      return true;
    }
    throw new AppError(ErrorCodes.UNAUTHENTICATED, '请先登录或提供 API 密钥');
  }
}
