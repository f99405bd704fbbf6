import { Controller, Param, Query } from '@nestjs/common';
import {
  decisionPreviewParams,
  decisionPreviewSchema,
  recordIdParams,
  recordVersionsSchema,
  reviewQueueQuery,
  reviewQueueSchema,
} from '@heihe/shared';
import type { z } from 'zod';
import { Endpoint } from '../common/endpoint';
import { ReviewService } from './review.service';

@Controller('review')
export class ReviewController {
  constructor(private readonly review: ReviewService) {}

  @Endpoint({
    method: 'GET',
    path: 'queue',
    operationId: 'listReviewQueue',
    summary: '待办队列：异议、良好信息、信用修复，按期限倒计时，超期置顶',
    tags: ['review'],
    callers: ['reviewer', 'admin'],
    query: reviewQueueQuery,
    response: reviewQueueSchema,
  })
  listReviewQueue(@Query() q: z.infer<typeof reviewQueueQuery>) {
    return this.review.queue(q);
  }

  @Endpoint({
    method: 'GET',
    path: 'records/:recordId/versions',
    operationId: 'listRecordVersions',
    summary: '记录的全部版本：每一版的状态、内容、产生原因与时间，及与上一版相比的变化',
    tags: ['review'],
    callers: ['reviewer', 'admin'],
    params: recordIdParams,
    response: recordVersionsSchema,
  })
  listRecordVersions(@Param() p: z.infer<typeof recordIdParams>) {
    return this.review.recordVersions(p.recordId);
  }

  @Endpoint({
    method: 'GET',
    path: ':kind/:id/preview',
    operationId: 'previewDecision',
    summary: '办理前的评分影响：若异议成立（撤销记录）或批准修复，评分与等级的精确变化（试算，不写入）',
    tags: ['review'],
    callers: ['reviewer', 'admin'],
    params: decisionPreviewParams,
    response: decisionPreviewSchema,
  })
  previewDecision(@Param() p: z.infer<typeof decisionPreviewParams>) {
    return this.review.preview(p.kind, p.id);
  }
}
