import { Body, Controller } from '@nestjs/common';
import { ingestReportSchema, ingestRequestSchema, type IngestReport } from '@heihe/shared';
import type { z } from 'zod';
import { Endpoint } from '../common/endpoint';
import { IngestService } from './ingest.service';

@Controller('ingest')
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  @Endpoint({
    method: 'POST',
    path: 'records',
    operationId: 'ingestRecords',
    summary: '数据源报送信用记录（幂等：来源系统 + 来源编号）',
    callers: ['api_client'],
    scope: 'ingest',
    body: ingestRequestSchema,
    bodyLimit: '20mb',
    response: ingestReportSchema,
    status: 200,
  })
  async ingestRecords(@Body() body: z.infer<typeof ingestRequestSchema>): Promise<IngestReport> {
    return this.ingest.ingestRows('http', body.rows);
  }
}
