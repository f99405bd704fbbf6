import { Body, Controller, Param, Query } from '@nestjs/common';
import {
  applicationIdParams,
  createGoodInfoReportSchema,
  decideGoodInfoReportSchema,
  goodInfoReportListSchema,
  goodInfoReportSchema,
  myApplicationsQuery,
  resubmitSchema,
} from '@heihe/shared';
import type { z } from 'zod';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { Endpoint } from '../common/endpoint';
import { GoodInfoService } from './good-info.service';

type P<S extends z.ZodType> = z.infer<S>;

@Controller('good-info-reports')
export class GoodInfoController {
  constructor(private readonly reports: GoodInfoService) {}

  @Endpoint({
    method: 'POST',
    path: '',
    operationId: 'createGoodInfoReport',
    summary: '自主上报良好信息：荣誉表彰、公益慈善、志愿服务、就业帮扶或守合同重信用，附证明材料',
    tags: ['rights'],
    callers: ['enterprise'],
    body: createGoodInfoReportSchema,
    response: goodInfoReportSchema,
  })
  createGoodInfoReport(@Body() b: P<typeof createGoodInfoReportSchema>, @CurrentPrincipal() who: Principal) {
    return this.reports.create(who, b);
  }

  @Endpoint({
    method: 'GET',
    path: '',
    operationId: 'listMyGoodInfoReports',
    summary: '本企业上报的良好信息',
    tags: ['rights'],
    callers: ['enterprise'],
    query: myApplicationsQuery,
    response: goodInfoReportListSchema,
  })
  listMyGoodInfoReports(@Query() q: P<typeof myApplicationsQuery>, @CurrentPrincipal() who: Principal) {
    return this.reports.listMine(who, q);
  }

  @Endpoint({
    method: 'GET',
    path: ':id',
    operationId: 'getGoodInfoReport',
    summary: '良好信息上报详情',
    tags: ['rights'],
    callers: ['enterprise', 'reviewer', 'admin'],
    params: applicationIdParams,
    response: goodInfoReportSchema,
  })
  getGoodInfoReport(@Param() p: P<typeof applicationIdParams>, @CurrentPrincipal() who: Principal) {
    return this.reports.get(who, p.id);
  }

  @Endpoint({
    method: 'POST',
    path: ':id/resubmission',
    operationId: 'resubmitGoodInfoReport',
    summary: '补正材料后重新提交良好信息（办理期限重新计算）',
    tags: ['rights'],
    callers: ['enterprise'],
    params: applicationIdParams,
    body: resubmitSchema,
    response: goodInfoReportSchema,
    status: 200,
  })
  resubmitGoodInfoReport(
    @Param() p: P<typeof applicationIdParams>,
    @Body() b: P<typeof resubmitSchema>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.reports.resubmit(who, p.id, b);
  }

  @Endpoint({
    method: 'POST',
    path: ':id/decision',
    operationId: 'decideGoodInfoReport',
    summary: '办理良好信息上报：受理、退回补正、确认（成为正向记录并重新评分）或不予确认，均须书面理由',
    tags: ['review'],
    callers: ['reviewer', 'admin'],
    params: applicationIdParams,
    body: decideGoodInfoReportSchema,
    response: goodInfoReportSchema,
    status: 200,
  })
  decideGoodInfoReport(
    @Param() p: P<typeof applicationIdParams>,
    @Body() b: P<typeof decideGoodInfoReportSchema>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.reports.decide(who, p.id, b);
  }
}
