import { applyDecorators, HttpCode, RequestMapping, RequestMethod, SetMetadata } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
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
  /**
   * A JSON body limit above the app-wide 1 MB (body-parser syntax, e.g. '20mb'). Such a body is
   * read only once the caller is authenticated and admitted: the validation interceptor parses it.
   */
  bodyLimit?: string;
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

/** The route of an endpoint as Express sees it: `/<prefix>/<controller path>/<path>`, with `:params`. */
export function routePath(controller: Function, spec: EndpointSpec, globalPrefix: string): string {
  const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
  return `/${['', globalPrefix, base, spec.path]
    .map((s) => s.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
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
