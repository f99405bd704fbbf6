import { Controller, Param, Query } from '@nestjs/common';
import {
  entityIdParams,
  entitySearchResultSchema,
  industryChainsSchema,
  investmentsQuery,
  investSearchQuery,
  outboundInvestmentsSchema,
  ownershipGraphSchema,
  ownershipQuery,
  screenQuery,
  screenResultSchema,
} from '@heihe/shared';
import type { z } from 'zod';
import { CurrentPrincipal, type Principal } from '../auth';
import { Endpoint, type Caller } from '../common/endpoint';
import { InvestService } from './invest.service';

type P<S extends z.ZodType> = z.infer<S>;

/** The investment officer's reads; administrators may run them too. */
const OFFICERS: Caller[] = ['investment_officer', 'admin'];

@Controller('invest')
export class InvestController {
  constructor(private readonly invest: InvestService) {}

  @Endpoint({
    method: 'GET',
    path: 'entities',
    operationId: 'searchEntities',
    summary: '查找主体：统一社会信用代码（校验位不符者标注而不拒绝）、名称或曾用名，按匹配程度排序并说明匹配原因',
    tags: ['invest'],
    callers: OFFICERS,
    query: investSearchQuery,
    response: entitySearchResultSchema,
  })
  searchEntities(@Query() q: P<typeof investSearchQuery>, @CurrentPrincipal() who: Principal) {
    return this.invest.search(q.q, q.limit, q.purpose, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'entities/:entityId/ownership',
    operationId: 'getOwnershipGraph',
    summary:
      '股权穿透：逐层股东至自然人，各最终持有人的累计持股（含交叉持股与循环），疑似实际控制人、受益所有人及其路径',
    tags: ['invest'],
    callers: OFFICERS,
    params: entityIdParams,
    query: ownershipQuery,
    response: ownershipGraphSchema,
  })
  getOwnershipGraph(
    @Param() p: P<typeof entityIdParams>,
    @Query() q: P<typeof ownershipQuery>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.invest.ownership(p.entityId, q.depth, q.purpose, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'entities/:entityId/investments',
    operationId: 'getOutboundInvestments',
    summary: '对外投资：向下 N 层的被投资企业及其登记状态、当前等级',
    tags: ['invest'],
    callers: OFFICERS,
    params: entityIdParams,
    query: investmentsQuery,
    response: outboundInvestmentsSchema,
  })
  getOutboundInvestments(
    @Param() p: P<typeof entityIdParams>,
    @Query() q: P<typeof investmentsQuery>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.invest.investments(p.entityId, q.depth, q.purpose, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'screening',
    operationId: 'screenEntities',
    summary:
      '筛选优质企业：产业链、行业、区域、等级、分数、注册与实缴资本、成立年限、参保人数；信用门槛（无在公示期内的严重失信、等级不低于 B）；按分数排序、游标分页',
    tags: ['invest'],
    callers: OFFICERS,
    query: screenQuery,
    response: screenResultSchema,
  })
  screenEntities(@Query() q: P<typeof screenQuery>, @CurrentPrincipal() who: Principal) {
    return this.invest.screen(q, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'chains',
    operationId: 'listIndustryChains',
    summary: '黑河市重点产业链及其对应的国民经济行业分类（GB/T 4754）代码前缀',
    tags: ['invest'],
    callers: OFFICERS,
    response: industryChainsSchema,
  })
  listIndustryChains() {
    return this.invest.chains();
  }
}
