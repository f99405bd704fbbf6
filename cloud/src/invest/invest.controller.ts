import { Body, Controller, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import {
  entityIdParams,
  entitySearchResultSchema,
  industryChainsSchema,
  investmentsQuery,
  keyPeopleQuery,
  keyPeopleSchema,
  listTargetChecksQuery,
  riskScanQuery,
  riskScanSchema,
  runTargetCheckBody,
  targetCheckIdParams,
  targetCheckListSchema,
  targetCheckSchema,
  investSearchQuery,
  outboundInvestmentsSchema,
  ownershipGraphSchema,
  ownershipQuery,
  screenQuery,
  screenResultSchema,
} from '@heihe/shared';
import { CurrentPrincipal, type Principal } from '../auth';
import { Endpoint, type Caller } from '../common/endpoint';
import { ChecksService } from './checks.service';
import { InvestService } from './invest.service';

type P<S extends z.ZodType> = z.infer<S>;

/** The investment officer's reads; administrators may run them too. */
const OFFICERS: Caller[] = ['investment_officer', 'admin'];

@Controller('invest')
export class InvestController {
  constructor(
    private readonly invest: InvestService,
    private readonly checks: ChecksService,
  ) {}

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

  @Endpoint({
    method: 'GET',
    path: 'entities/:entityId/people',
    operationId: 'getKeyPeople',
    summary:
      '主要人员：法定代表人、董事、监事（按身份证号密钥哈希匹配，只显示脱敏证件号）在其他主体的任职与投资，各附等级与风险摘要',
    tags: ['invest'],
    callers: OFFICERS,
    params: entityIdParams,
    query: keyPeopleQuery,
    response: keyPeopleSchema,
  })
  getKeyPeople(
    @Param() p: P<typeof entityIdParams>,
    @Query() q: P<typeof keyPeopleQuery>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.checks.people(p.entityId, q.purpose, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'entities/:entityId/risks',
    operationId: 'scanRisks',
    summary:
      '关联风险扫描：目标及其指定范围内的股东、被投资企业、主要人员的其他企业；公示期内的严重失信、失信被执行人、经营异常、行政处罚（按严重程度）、欠税、融资违约、主要人员失信（已修复、已撤销者不计，异议中者标注），以及红旗预警',
    tags: ['invest'],
    callers: OFFICERS,
    params: entityIdParams,
    query: riskScanQuery,
    response: riskScanSchema,
  })
  scanRisks(
    @Param() p: P<typeof entityIdParams>,
    @Query() q: P<typeof riskScanQuery>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.checks.scan(p.entityId, q.radius, q.purpose, who);
  }

  @Endpoint({
    method: 'POST',
    path: 'checks',
    operationId: 'runTargetCheck',
    summary:
      '核查招商对象：生成带编号的核查报告快照（时点、模型版本、股权穿透、对外投资、主要人员、关联风险、红旗预警、评价及明细），此后不随数据变化；重新核查生成新报告',
    tags: ['invest'],
    callers: OFFICERS,
    body: runTargetCheckBody,
    response: targetCheckSchema,
    status: 201,
  })
  runTargetCheck(@Body() b: P<typeof runTargetCheckBody>, @CurrentPrincipal() who: Principal) {
    return this.checks.runCheck(b, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'checks/:checkId',
    operationId: 'getTargetCheck',
    summary: '查看一份核查报告快照',
    tags: ['invest'],
    callers: OFFICERS,
    params: targetCheckIdParams,
    response: targetCheckSchema,
  })
  getTargetCheck(@Param() p: P<typeof targetCheckIdParams>, @CurrentPrincipal() who: Principal) {
    return this.checks.getCheck(p.checkId, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'checks',
    operationId: 'listTargetChecks',
    summary: '核查报告列表（新者在前），可按主体筛选，游标分页',
    tags: ['invest'],
    callers: OFFICERS,
    query: listTargetChecksQuery,
    response: targetCheckListSchema,
  })
  listTargetChecks(@Query() q: P<typeof listTargetChecksQuery>, @CurrentPrincipal() who: Principal) {
    return this.checks.listChecks(q, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'checks/:checkId/xlsx',
    operationId: 'exportTargetCheck',
    summary: '导出核查报告为 Excel（概要、红旗预警、风险记录、关联主体、最终持有人、主要人员、对外投资、信用评价）',
    tags: ['invest'],
    callers: OFFICERS,
    params: targetCheckIdParams,
    response: z.string().describe('xlsx 文件'),
  })
  async exportTargetCheck(
    @Param() p: P<typeof targetCheckIdParams>,
    @CurrentPrincipal() who: Principal,
    @Res() res: Response,
  ) {
    const { number, name, data } = await this.checks.exportCheck(p.checkId, who);
    const file = `核查报告-${number}-${name}.xlsx`;
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${number}.xlsx"; filename*=UTF-8''${encodeURIComponent(file)}`,
    );
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(data);
  }
}
