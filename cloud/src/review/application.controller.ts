import { Body, Controller, Inject, Param, Query, type Type } from '@nestjs/common';
import { applicationIdParams, myApplicationsQuery, type ApplicationStatus } from '@heihe/shared';
import type { z } from 'zod';
import { CurrentPrincipal, type Principal } from '../auth';
import { Endpoint, type EndpointSpec } from '../common/endpoint';

type Parsed<S> = S extends z.ZodType ? z.infer<S> : undefined;

/** One operation of a controller: its endpoint, and the service call it makes with the validated request. */
export interface Route<S> {
  spec: EndpointSpec;
  call(service: S, who: Principal, request: { params: unknown; query: unknown; body: unknown }): Promise<unknown>;
}

/** A Route whose call sees the request as the endpoint's schemas parsed it. */
export function route<
  S,
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(
  spec: Omit<EndpointSpec, 'params' | 'query' | 'body'> & { params?: P; query?: Q; body?: B },
  call: (
    service: S,
    who: Principal,
    request: { params: Parsed<P>; query: Parsed<Q>; body: Parsed<B> },
  ) => Promise<unknown>,
): Route<S> {
  return { spec, call: call as Route<S>['call'] };
}

/** What the application controller calls: the workflow of one kind (review/workflow.ts). */
export interface ApplicationService<Create, Resubmit, Decide> {
  create(who: Principal, b: Create): Promise<unknown>;
  listMine(who: Principal, q: { entityId?: number; status?: ApplicationStatus }): Promise<unknown>;
  get(who: Principal, id: number): Promise<unknown>;
  resubmit(who: Principal, id: number, b: Resubmit): Promise<unknown>;
  decide(who: Principal, id: number, d: Decide): Promise<unknown>;
}

interface Operation {
  operationId: string;
  summary: string;
}

export interface ApplicationEndpoints<S, Create, Resubmit, Decide> {
  /** The class name the endpoint registry reports (the cross-tenant suites select controllers by it). */
  name: string;
  service: Type<S>;
  /** The collection's path: `<resource>`, `<resource>/:id`, `<resource>/:id/resubmission`, `<resource>/:id/decision`. */
  resource: string;
  response: z.ZodType;
  listResponse: z.ZodType;
  create: Operation & { body: z.ZodType<Create> };
  list: Operation;
  get: Operation;
  resubmit: Operation & { body: z.ZodType<Resubmit> };
  decide: Operation & { body: z.ZodType<Decide> };
  /** The kind's own operations, registered (and documented) before the workflow's. */
  before?: Route<S>[];
}

/**
 * The one controller shape of the three applications (异议, 良好信息, 信用修复): file, list own,
 * read, resubmit and decide, with the same paths, callers and status codes for every kind; a kind
 * names its operations and schemas. Every handler takes the validated params, query and body and
 * the caller, and hands them to its route's call.
 */
export function applicationController<S extends ApplicationService<Create, Resubmit, Decide>, Create, Resubmit, Decide>(
  o: ApplicationEndpoints<S, Create, Resubmit, Decide>,
): Type<unknown> {
  const byId = { params: applicationIdParams };
  const workflow: Route<S>[] = [
    route(
      {
        method: 'POST',
        path: o.resource,
        ...o.create,
        tags: ['rights'],
        callers: ['enterprise'],
        response: o.response,
      },
      (s, who, r) => s.create(who, r.body),
    ),
    route(
      {
        method: 'GET',
        path: o.resource,
        ...o.list,
        tags: ['rights'],
        callers: ['enterprise'],
        query: myApplicationsQuery,
        response: o.listResponse,
      },
      (s, who, r) => s.listMine(who, r.query),
    ),
    route(
      {
        method: 'GET',
        path: `${o.resource}/:id`,
        ...o.get,
        tags: ['rights'],
        callers: ['enterprise', 'reviewer', 'admin'],
        ...byId,
        response: o.response,
      },
      (s, who, r) => s.get(who, r.params.id),
    ),
    route(
      {
        method: 'POST',
        path: `${o.resource}/:id/resubmission`,
        ...o.resubmit,
        tags: ['rights'],
        callers: ['enterprise'],
        ...byId,
        response: o.response,
        status: 200,
      },
      (s, who, r) => s.resubmit(who, r.params.id, r.body),
    ),
    route(
      {
        method: 'POST',
        path: `${o.resource}/:id/decision`,
        ...o.decide,
        tags: ['review'],
        callers: ['reviewer', 'admin'],
        ...byId,
        response: o.response,
        status: 200,
      },
      (s, who, r) => s.decide(who, r.params.id, r.body),
    ),
  ];

  class ApplicationController {
    constructor(readonly service: S) {}
  }
  Object.defineProperty(ApplicationController, 'name', { value: o.name });
  Controller()(ApplicationController);
  Inject(o.service)(ApplicationController, undefined, 0);
  for (const r of [...(o.before ?? []), ...workflow]) {
    const name = r.spec.operationId;
    const handler = {
      [name](this: ApplicationController, params: unknown, query: unknown, body: unknown, who: Principal) {
        return r.call(this.service, who, { params, query, body });
      },
    }[name]!;
    const descriptor = { value: handler, writable: true, configurable: true, enumerable: false };
    Object.defineProperty(ApplicationController.prototype, name, descriptor);
    Endpoint(r.spec)(ApplicationController.prototype, name, descriptor);
    Param()(ApplicationController.prototype, name, 0);
    Query()(ApplicationController.prototype, name, 1);
    Body()(ApplicationController.prototype, name, 2);
    CurrentPrincipal()(ApplicationController.prototype, name, 3);
  }
  return ApplicationController;
}
