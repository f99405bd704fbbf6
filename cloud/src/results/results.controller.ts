import { Body, Controller, Query } from '@nestjs/common';
import {
  checkIncentivesQuery,
  incentiveCatalogueSchema,
  incentiveCheckSchema,
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

type P<S extends z.ZodType> = z.infer<S>;

/** Results in use (信用评价结果应用): the green-channel check, the 信易贷 推介 list and the change feed. */
@Controller('results')
export class ResultsController {
  constructor(
    private readonly incentives: IncentivesService,
    private readonly feed: ResultFeedService,
    private readonly uses: ResultUseService,
  ) {}

  @Endpoint({
    method: 'GET',
    path: 'incentives/check',
    operationId: 'checkIncentives',
    summary:
      '绿色通道核验：按统一社会信用代码和事项编码，返回可适用的激励措施、信用等级与评价时间、依据和有效期；严重失信或受严重处罚者不适用',
    tags: ['results'],
    callers: ['api_client'],
    scope: RESULT_SCOPES.incentives,
    query: checkIncentivesQuery,
    response: incentiveCheckSchema,
  })
  checkIncentives(@Query() q: P<typeof checkIncentivesQuery>, @CurrentPrincipal() who: Principal) {
    return this.incentives.check(q.uscc, q.itemCode, who);
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
}
