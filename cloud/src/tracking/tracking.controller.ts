import { Controller, Query } from '@nestjs/common';
import {
  applicationCountsSchema,
  cycleRunsQuery,
  cycleRunsSchema,
  gradeHistoryQuery,
  gradeHistorySchema,
  gradeMigrationsQuery,
  gradeMigrationsSchema,
  objectionOutcomesQuery,
  objectionOutcomesSchema,
  timelinessSchema,
} from '@heihe/shared';
import type { z } from 'zod';
import { Endpoint } from '../common/endpoint';
import { TrackingService } from './tracking.service';

type P<S extends z.ZodType> = z.infer<S>;

/** 跟踪评估: one operation per dashboard chart, for reviewers and administrators. */
@Controller('statistics')
export class TrackingController {
  constructor(private readonly tracking: TrackingService) {}

  @Endpoint({
    method: 'GET',
    path: 'grades/history',
    operationId: 'getGradeHistory',
    summary: '等级分布随时间变化：最近若干个已完成评分批次各等级的主体数',
    tags: ['statistics'],
    callers: ['reviewer', 'admin'],
    query: gradeHistoryQuery,
    response: gradeHistorySchema,
  })
  getGradeHistory(@Query() q: P<typeof gradeHistoryQuery>) {
    return this.tracking.gradeHistory(q.cycles);
  }

  @Endpoint({
    method: 'GET',
    path: 'grades/migrations',
    operationId: 'getGradeMigrations',
    summary: '等级迁移矩阵：所选评分批次（默认最近一次）相对上一批次的等级变化',
    tags: ['statistics'],
    callers: ['reviewer', 'admin'],
    query: gradeMigrationsQuery,
    response: gradeMigrationsSchema,
  })
  getGradeMigrations(@Query() q: P<typeof gradeMigrationsQuery>) {
    return this.tracking.gradeMigrations(q.cycleId);
  }

  @Endpoint({
    method: 'GET',
    path: 'applications',
    operationId: 'getApplicationCounts',
    summary: '申请统计：异议、良好信息上报、信用修复按状态的件数',
    tags: ['statistics'],
    callers: ['reviewer', 'admin'],
    response: applicationCountsSchema,
  })
  getApplicationCounts() {
    return this.tracking.applicationCounts();
  }

  @Endpoint({
    method: 'GET',
    path: 'applications/timeliness',
    operationId: 'getApplicationTimeliness',
    summary: '办理时效：已办结申请在 7 个工作日期限内办结的比例，及在办申请的剩余期限分布',
    tags: ['statistics'],
    callers: ['reviewer', 'admin'],
    response: timelinessSchema,
  })
  getApplicationTimeliness() {
    return this.tracking.timeliness();
  }

  @Endpoint({
    method: 'GET',
    path: 'objections/outcomes',
    operationId: 'getObjectionOutcomes',
    summary: '异议办理结果：按月（北京时间）统计异议成立与不成立件数',
    tags: ['statistics'],
    callers: ['reviewer', 'admin'],
    query: objectionOutcomesQuery,
    response: objectionOutcomesSchema,
  })
  getObjectionOutcomes(@Query() q: P<typeof objectionOutcomesQuery>) {
    return this.tracking.objectionOutcomes(q.months);
  }

  @Endpoint({
    method: 'GET',
    path: 'cycles',
    operationId: 'listCycleRuns',
    summary: '评分批次运行记录：开始、结束、耗时、主体数与触发方式',
    tags: ['statistics'],
    callers: ['reviewer', 'admin'],
    query: cycleRunsQuery,
    response: cycleRunsSchema,
  })
  listCycleRuns(@Query() q: P<typeof cycleRunsQuery>) {
    return this.tracking.cycleRuns(q.limit);
  }
}
