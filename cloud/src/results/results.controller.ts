import { Body, Controller, Param, Query } from '@nestjs/common';
import {
  checkIncentivesQuery,
  entityIdParams,
  myXinyiPlusSchema,
  updateXinyiPlusMeasuresSchema,
  xinyiPlusCatalogueSchema,
  incentiveCatalogueSchema,
  incentiveCheckSchema,
  incentiveCheckStatsSchema,
  trackingPeriodQuery,
  recommendedEnterprisesSchema,
  recommendedQuery,
  reportResultUseSchema,
  resultUseSchema,
  resultUseStatsSchema,
  updateIncentiveMeasuresSchema,
  resultFeedQuery,
  resultFeedSchema,
} from '@heihe/shared';
import type { z } from 'zod';
import { CurrentPrincipal, type Principal } from '../auth';
import { Endpoint } from '../common/endpoint';
import { ResultFeedService } from './feed.service';
import { IncentivesService } from './incentives.service';
import { RESULT_SCOPES } from './scopes';
import { ResultUseService } from './use.service';
import { XinyiPlusService } from './xinyi-plus.service';

type P<S extends z.ZodType> = z.infer<S>;

/** Results in use (信用评价结果应用): the green-channel check, the 信易贷 推介 list and the change feed. */
@Controller('results')
export class ResultsController {
  constructor(
    private readonly incentives: IncentivesService,
    private readonly feed: ResultFeedService,
    private readonly uses: ResultUseService,
    private readonly xinyi: XinyiPlusService,
  ) {}

  @Endpoint({
    method: 'GET',
    path: 'incentives/check',
    operationId: 'checkIncentives',
    summary:
      '绿色通道与信易+核验：按统一社会信用代码（主体）或身份证号哈希（个人，信易+）和事项编码，返回可适用的激励措施、信用等级与评价时间、依据和有效期；严重失信或受严重处罚者不适用',
    tags: ['results'],
    callers: ['api_client'],
    scope: RESULT_SCOPES.incentives,
    query: checkIncentivesQuery,
    response: incentiveCheckSchema,
  })
  checkIncentives(@Query() q: P<typeof checkIncentivesQuery>, @CurrentPrincipal() who: Principal) {
    return q.idHash
      ? this.xinyi.checkPerson(q.idHash, q.itemCode, who)
      : this.incentives.check(q.uscc!, q.itemCode, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'xinyi-plus/measures',
    operationId: 'listXinyiPlusMeasures',
    summary: '施行中的信易+措施清单：面向 A 级信用主体法定代表人的措施、提供单位、适用事项、版本与依据',
    tags: ['results'],
    callers: ['admin', 'reviewer'],
    response: xinyiPlusCatalogueSchema,
  })
  listXinyiPlusMeasures() {
    return this.xinyi.catalogue();
  }

  @Endpoint({
    method: 'POST',
    path: 'xinyi-plus/measures',
    operationId: 'updateXinyiPlusMeasures',
    summary: '发布信易+措施清单新版本，自施行日期起生效；已发布的版本不再修改',
    tags: ['results'],
    callers: ['admin'],
    body: updateXinyiPlusMeasuresSchema,
    response: xinyiPlusCatalogueSchema,
    status: 201,
  })
  updateXinyiPlusMeasures(@Body() b: P<typeof updateXinyiPlusMeasuresSchema>, @CurrentPrincipal() who: Principal) {
    return this.xinyi.publish(b, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'entities/:entityId/xinyi-plus',
    operationId: 'getMyXinyiPlus',
    summary: '我可享受的信易+措施（A 级信用主体的现任法定代表人；不适用时说明原因）',
    tags: ['results'],
    callers: ['enterprise'],
    params: entityIdParams,
    response: myXinyiPlusSchema,
  })
  getMyXinyiPlus(@Param() p: P<typeof entityIdParams>, @CurrentPrincipal() who: Principal) {
    return this.xinyi.mine(who, p.entityId);
  }

  @Endpoint({
    method: 'GET',
    path: 'incentives/measures',
    operationId: 'listIncentiveMeasures',
    summary: '施行中的激励措施清单：各事项（及通用事项）各信用等级适用的措施、版本与依据',
    tags: ['results'],
    callers: ['admin', 'reviewer'],
    response: incentiveCatalogueSchema,
  })
  listIncentiveMeasures() {
    return this.incentives.catalogue();
  }

  @Endpoint({
    method: 'POST',
    path: 'incentives/measures',
    operationId: 'updateIncentiveMeasures',
    summary:
      '发布激励措施清单新版本：各事项（及通用事项 *）各信用等级适用的措施与依据，自施行日期起生效；已发布的版本不再修改',
    tags: ['results'],
    callers: ['admin'],
    body: updateIncentiveMeasuresSchema,
    response: incentiveCatalogueSchema,
    status: 201,
  })
  updateIncentiveMeasures(@Body() b: P<typeof updateIncentiveMeasuresSchema>, @CurrentPrincipal() who: Principal) {
    return this.incentives.publish(b, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'recommendations',
    operationId: 'listRecommendedEnterprises',
    summary: '信易贷重点推介：A 级市场主体的基本信息与等级（不含信用记录），可按区划、行业筛选，游标分页',
    tags: ['results'],
    callers: ['api_client'],
    scope: RESULT_SCOPES.recommendations,
    query: recommendedQuery,
    response: recommendedEnterprisesSchema,
  })
  listRecommendedEnterprises(@Query() q: P<typeof recommendedQuery>, @CurrentPrincipal() who: Principal) {
    return this.feed.recommended(q, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'feed',
    operationId: 'listResultFeed',
    summary: '评价结果变更订阅（拉取）：游标之后的等级变化，按序、可续传、不重不漏；游标只对签发它的客户端有效',
    tags: ['results'],
    callers: ['api_client'],
    scope: RESULT_SCOPES.feed,
    query: resultFeedQuery,
    response: resultFeedSchema,
  })
  listResultFeed(@Query() q: P<typeof resultFeedQuery>, @CurrentPrincipal() who: Principal) {
    return this.feed.feed(q.cursor, q.limit, who);
  }

  @Endpoint({
    method: 'POST',
    path: 'uses',
    operationId: 'reportResultUse',
    summary:
      '应用反馈：接收方报送对某一评价结果（eventId 或 messageId）采取的措施与结果；同一结果同一措施再次报送即更正',
    tags: ['results'],
    callers: ['api_client'],
    scope: RESULT_SCOPES.feed,
    body: reportResultUseSchema,
    response: resultUseSchema,
    status: 200,
  })
  reportResultUse(@Body() b: P<typeof reportResultUseSchema>, @CurrentPrincipal() who: Principal) {
    return this.uses.report(b, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'uses/stats',
    operationId: 'getResultUseStats',
    summary: '跟踪评估：各接收方的用途与依据、拉取的结果数、报送应用反馈的结果数与覆盖率、采取的措施',
    tags: ['results'],
    callers: ['admin', 'reviewer'],
    response: resultUseStatsSchema,
  })
  getResultUseStats() {
    return this.uses.stats();
  }

  @Endpoint({
    method: 'GET',
    path: 'incentives/stats',
    operationId: 'getIncentiveCheckStats',
    summary: '跟踪评估：近若干日的激励措施查询次数（给予、无措施、不予适用）、按事项统计与给予的措施',
    tags: ['results'],
    callers: ['admin', 'reviewer'],
    query: trackingPeriodQuery,
    response: incentiveCheckStatsSchema,
  })
  getIncentiveCheckStats(@Query() q: P<typeof trackingPeriodQuery>) {
    return this.incentives.stats(q.days);
  }
}
