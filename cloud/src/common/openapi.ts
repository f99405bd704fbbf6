import { PATH_METADATA } from '@nestjs/common/constants';
import { z } from 'zod';
import { registeredEndpoints, routePath } from './endpoint';

const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

function json(schema: z.ZodType, io: 'input' | 'output') {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' });
}

/** The OpenAPI document, generated from the same zod schemas that validate requests. */
export function buildOpenApi(globalPrefix: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { controller, spec } of registeredEndpoints()) {
    const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
    const full = routePath(controller, spec, globalPrefix).replace(/:(\w+)/g, '{$1}');
    const parameters = [
      ...Object.entries(spec.params?.shape ?? {}).map(([name, s]) => ({
        name,
        in: 'path',
        required: true,
        schema: json(s as z.ZodType, 'input'),
      })),
      ...Object.entries(spec.query?.shape ?? {}).map(([name, s]) => ({
        name,
        in: 'query',
        required: !(s as z.ZodType).safeParse(undefined).success,
        schema: json(s as z.ZodType, 'input'),
      })),
    ];
    const op: Record<string, unknown> = {
      operationId: spec.operationId,
      summary: spec.summary,
      tags: spec.tags ?? [base || 'default'],
      'x-callers': spec.callers,
      parameters,
      responses: {
        [String(spec.status ?? (spec.method === 'POST' ? 201 : 200))]: {
          description: 'OK',
          content: { 'application/json': { schema: json(spec.response, 'output') } },
        },
        default: { description: 'Error', content: { 'application/json': { schema: json(errorSchema, 'output') } } },
      },
    };
    if (spec.body)
      op.requestBody = { required: true, content: { 'application/json': { schema: json(spec.body, 'input') } } };
    if (!spec.callers.includes('public')) op.security = [{ bearer: [] }, { apiKey: [] }];
    (paths[full] ??= {})[spec.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.0.3',
    info: { title: '信用+精准招商 API (Heihe Credit+)', version: '0.1.0' },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      },
    },
    paths,
  };
}
