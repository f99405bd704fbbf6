import { Controller, Inject } from '@nestjs/common';
import { z } from 'zod';
import { Endpoint } from '../common/endpoint';
import { buildOpenApi } from '../common/openapi';
import { Database } from '../db/database';
import { Config, type AppConfig } from '../config/config';

const healthSchema = z.object({ status: z.literal('ok'), database: z.enum(['postgres', 'pglite']), demo: z.boolean() });

@Controller()
export class HealthController {
  constructor(
    private readonly db: Database,
    @Inject(Config.token) private readonly config: AppConfig,
  ) {}

  @Endpoint({
    method: 'GET',
    path: 'health',
    operationId: 'getHealth',
    summary: '健康检查',
    callers: ['public'],
    response: healthSchema,
  })
  async health(): Promise<z.infer<typeof healthSchema>> {
    // Raw SQL: a liveness probe reads no table; it goes the client's way, as every CRUD call does.
    await this.db.prisma.$queryRaw`SELECT 1`;
    return { status: 'ok', database: this.db.backend, demo: this.config.DEMO_MODE };
  }

  @Endpoint({
    method: 'GET',
    path: 'openapi.json',
    operationId: 'getOpenApi',
    summary: 'OpenAPI 文档',
    callers: ['public'],
    response: z.record(z.string(), z.unknown()),
  })
  openapi(): Record<string, unknown> {
    return buildOpenApi('api');
  }
}
