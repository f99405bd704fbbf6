import { Body, Controller, Param, Query } from '@nestjs/common';
import {
  cycleIdParams,
  cycleProgressSchema,
  distributionQuery,
  entityIdParams,
  evaluationHistorySchema,
  evaluationResponseSchema,
  gradeDistributionSchema,
  historyQuery,
  impactPreviewSchema,
  modelDraftRequestSchema,
  modelListSchema,
  modelVersionParams,
  publishModelRequestSchema,
  publishedModelSchema,
  publishResultSchema,
  storedModelSchema,
} from '@heihe/shared';
import { z } from 'zod';
import { actorOf, assertEntityAccess, CurrentPrincipal, type Principal } from '../auth';
import { Endpoint } from '../common/endpoint';
import { ScoringService } from './scoring.service';

type P<S extends z.ZodType> = z.infer<S>;

@Controller()
export class ScoringController {
  constructor(private readonly scoring: ScoringService) {}

  @Endpoint({
    method: 'GET',
    path: 'entities/:entityId/evaluation',
    operationId: 'getEntityEvaluation',
    summary: '主体当前评价结果及逐分解释',
    tags: ['evaluations'],
    callers: ['enterprise', 'reviewer', 'admin', 'investment_officer', 'api_client'],
    scope: 'evaluations:read',
    params: entityIdParams,
    response: evaluationResponseSchema,
  })
  async getEntityEvaluation(@Param() p: P<typeof entityIdParams>, @CurrentPrincipal() who: Principal) {
    assertEntityAccess(who, p.entityId);
    return this.scoring.getEvaluation(p.entityId, {
      ...actorOf(who),
      action: 'evaluation.view',
      objectType: 'entity',
      objectId: String(p.entityId),
      entityId: p.entityId,
    });
  }

  @Endpoint({
    method: 'GET',
    path: 'entities/:entityId/evaluations',
    operationId: 'listEvaluationHistory',
    summary: '主体历史评价（趋势）',
    tags: ['evaluations'],
    callers: ['enterprise', 'reviewer', 'admin', 'investment_officer', 'api_client'],
    scope: 'evaluations:read',
    params: entityIdParams,
    query: historyQuery,
    response: evaluationHistorySchema,
  })
  listEvaluationHistory(
    @Param() p: P<typeof entityIdParams>,
    @Query() q: P<typeof historyQuery>,
    @CurrentPrincipal() who: Principal,
  ) {
    assertEntityAccess(who, p.entityId);
    return this.scoring.history(p.entityId, q.limit);
  }

  @Endpoint({
    method: 'GET',
    path: 'statistics/grades',
    operationId: 'getGradeDistribution',
    summary: '等级分布统计（可按行业、区划筛选）',
    tags: ['statistics'],
    callers: ['reviewer', 'admin', 'investment_officer', 'api_client'],
    scope: 'statistics:read',
    query: distributionQuery,
    response: gradeDistributionSchema,
  })
  getGradeDistribution(@Query() q: P<typeof distributionQuery>) {
    return this.scoring.distribution(q);
  }

  @Endpoint({
    method: 'POST',
    path: 'scoring/cycles',
    operationId: 'runScoringCycle',
    summary: '立即运行一次评分周期（已有周期在运行时返回该周期）',
    tags: ['scoring'],
    callers: ['admin'],
    response: cycleProgressSchema,
    status: 202,
  })
  runScoringCycle(@CurrentPrincipal() who: Principal) {
    return this.scoring.runCycle('manual', who);
  }

  @Endpoint({
    method: 'GET',
    path: 'scoring/cycles/:cycleId',
    operationId: 'getScoringCycle',
    summary: '评分周期进度',
    tags: ['scoring'],
    callers: ['admin', 'reviewer'],
    params: cycleIdParams,
    response: cycleProgressSchema,
  })
  getScoringCycle(@Param() p: P<typeof cycleIdParams>) {
    return this.scoring.cycles.progress(p.cycleId);
  }

  @Endpoint({
    method: 'GET',
    path: 'models',
    operationId: 'listModels',
    summary: '评价模型版本列表',
    tags: ['models'],
    callers: ['admin', 'reviewer'],
    response: modelListSchema,
  })
  listModels() {
    return this.scoring.listModels();
  }

  @Endpoint({
    method: 'GET',
    path: 'models/:version',
    operationId: 'getModel',
    summary: '评价模型版本',
    tags: ['models'],
    callers: ['admin', 'reviewer'],
    params: modelVersionParams,
    response: storedModelSchema,
  })
  getModel(@Param() p: P<typeof modelVersionParams>) {
    return this.scoring.getModel(p.version);
  }

  @Endpoint({
    method: 'GET',
    path: 'models/:version/definition',
    operationId: 'getPublishedModel',
    summary: '已发布评价模型的指标与分值（公开，评分可解释）',
    tags: ['models'],
    callers: ['public'],
    params: modelVersionParams,
    response: publishedModelSchema,
  })
  getPublishedModel(@Param() p: P<typeof modelVersionParams>) {
    return this.scoring.getPublishedModel(p.version);
  }

  @Endpoint({
    method: 'POST',
    path: 'models',
    operationId: 'createModelDraft',
    summary: '新建评价模型草稿',
    tags: ['models'],
    callers: ['admin'],
    body: modelDraftRequestSchema,
    response: storedModelSchema,
  })
  createModelDraft(@Body() b: P<typeof modelDraftRequestSchema>, @CurrentPrincipal() who: Principal) {
    return this.scoring.createDraft(b.name, b.definition, who);
  }

  @Endpoint({
    method: 'PUT',
    path: 'models/:version',
    operationId: 'updateModelDraft',
    summary: '修改评价模型草稿（已发布版本不可修改）',
    tags: ['models'],
    callers: ['admin'],
    params: modelVersionParams,
    body: modelDraftRequestSchema,
    response: storedModelSchema,
  })
  updateModelDraft(
    @Param() p: P<typeof modelVersionParams>,
    @Body() b: P<typeof modelDraftRequestSchema>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.scoring.updateDraft(p.version, b.name, b.definition, who);
  }

  @Endpoint({
    method: 'POST',
    path: 'models/:version/preview',
    operationId: 'previewModelImpact',
    summary: '草稿模型对当前全体主体的影响预览',
    tags: ['models'],
    callers: ['admin'],
    params: modelVersionParams,
    response: impactPreviewSchema,
    status: 200,
  })
  previewModelImpact(@Param() p: P<typeof modelVersionParams>) {
    return this.scoring.previewImpact(p.version);
  }

  @Endpoint({
    method: 'POST',
    path: 'models/:version/publish',
    operationId: 'publishModel',
    summary: '发布评价模型（生效日不晚于今日时立即全量重评）',
    tags: ['models'],
    callers: ['admin'],
    params: modelVersionParams,
    body: publishModelRequestSchema,
    response: publishResultSchema,
    status: 200,
  })
  publishModel(
    @Param() p: P<typeof modelVersionParams>,
    @Body() b: P<typeof publishModelRequestSchema>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.scoring.publish(p.version, b.effectiveFrom, who);
  }
}
