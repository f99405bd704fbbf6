import { applyDecorators, HttpCode, RequestMapping, RequestMethod, SetMetadata } from '@nestjs/common';
import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call an endpoint. Every endpoint declares it; there is no default. */
export type Caller = 'public' | 'enterprise' | 'reviewer' | 'admin' | 'investment_officer' | 'api_client';

export interface EndpointSpec {
  method: HttpMethod;
  path: string;
  operationId: string;
  summary: string;
  tags?: string[];
  callers: Caller[];
  /** API-client scope required when callers include 'api_client'. */
  scope?: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response: z.ZodType;
  status?: number;
}

export const ENDPOINT_META = 'heihe:endpoint';

interface Registered {
  controller: Function;
  spec: EndpointSpec;
}
const registry: Registered[] = [];

/** Every registered endpoint: the OpenAPI document is generated from this list. */
export function registeredEndpoints(): readonly Registered[] {
  return registry;
}

/**
 * One decorator per operation: route, who may call it, and the zod schemas that validate the
 * request and document the response. The validation interceptor and the OpenAPI document both
 * read this, so the two cannot drift apart.
 */
export function Endpoint(spec: EndpointSpec): MethodDecorator {
  return (target, key, descriptor) => {
    registry.push({ controller: target.constructor, spec });
    const decorators = [
      RequestMapping({ path: spec.path, method: RequestMethod[spec.method] }),
      SetMetadata(ENDPOINT_META, spec),
    ];
    if (spec.status) decorators.push(HttpCode(spec.status));
    return applyDecorators(...decorators)(target, key, descriptor);
  };
}
