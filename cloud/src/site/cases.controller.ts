import { Body, Controller, Param, Query } from '@nestjs/common';
import {
  caseIdParams,
  caseObjectionsQuery,
  caseObjectionsSchema,
  decideCaseObjectionBody,
  nominateTypicalCaseBody,
  objectionIdParams,
  publishTypicalCaseBody,
  redListPublicationSchema,
  reviewTypicalCaseBody,
  staffCasesQuery,
  staffCasesSchema,
  typicalCaseSchema,
  withdrawTypicalCaseBody,
} from '@heihe/shared';
import { z } from 'zod';
import { CurrentPrincipal, type Principal } from '../auth';
import { Endpoint } from '../common/endpoint';
import { TypicalCasesService } from './cases.service';
import { PublicSiteService } from './public.service';

type P<S extends z.ZodType> = z.infer<S>;

/** Departments nominate typical cases with this API-client scope. */
export const CASE_NOMINATE_SCOPE = 'cases:nominate';

/** The 诚信典型案例 lifecycle for staff (and departments' nominations), and the red list's publication. */
@Controller('cases')
export class TypicalCasesController {
  constructor(
    private readonly cases: TypicalCasesService,
    private readonly site: PublicSiteService,
  ) {}

  @Endpoint({
    method: 'POST',
    path: '',
    operationId: 'nominateTypicalCase',
    summary: '推荐诚信典型案例（信用中心或部门），并自动核查：A 级、公示期内无失信或负面记录',
    tags: ['cases'],
    callers: ['reviewer', 'admin', 'api_client'],
    scope: CASE_NOMINATE_SCOPE,
    body: nominateTypicalCaseBody,
    response: typicalCaseSchema,
    status: 201,
  })
  nominateTypicalCase(@Body() b: P<typeof nominateTypicalCaseBody>, @CurrentPrincipal() who: Principal) {
    return this.cases.nominate(who, b);
  }

  @Endpoint({
    method: 'GET',
    path: '',
    operationId: 'listTypicalCaseQueue',
    summary: '典型案例工作台：按状态筛选，新的在前',
    tags: ['cases'],
    callers: ['reviewer', 'admin'],
    query: staffCasesQuery,
    response: staffCasesSchema,
  })
  listTypicalCaseQueue(@Query() q: P<typeof staffCasesQuery>) {
    return this.cases.staffList(q.status, q.page);
  }

  @Endpoint({
    method: 'GET',
    path: 'objections',
    operationId: 'listTypicalCaseObjections',
    summary: '公示期异议队列：先到先处理',
    tags: ['cases'],
    callers: ['reviewer', 'admin'],
    query: caseObjectionsQuery,
    response: caseObjectionsSchema,
  })
  listTypicalCaseObjections(@Query() q: P<typeof caseObjectionsQuery>) {
    return this.cases.objections(q.status, q.page);
  }

  @Endpoint({
    method: 'POST',
    path: 'objections/:id/decision',
    operationId: 'decideTypicalCaseObjection',
    summary: '处理公示期异议：成立则撤销案例，不成立则继续公示',
    tags: ['cases'],
    callers: ['reviewer', 'admin'],
    params: objectionIdParams,
    body: decideCaseObjectionBody,
    response: z.object({ ok: z.literal(true) }),
    status: 200,
  })
  async decideTypicalCaseObjection(
    @Param() p: P<typeof objectionIdParams>,
    @Body() b: P<typeof decideCaseObjectionBody>,
    @CurrentPrincipal() who: Principal,
  ) {
    await this.cases.decideObjection(who, p.id, b.decision, b.note);
    return { ok: true as const };
  }

  @Endpoint({
    method: 'GET',
    path: ':id',
    operationId: 'getTypicalCaseForStaff',
    summary: '典型案例详情（含核查结果、审核意见、异议数与时间线）',
    tags: ['cases'],
    callers: ['reviewer', 'admin'],
    params: caseIdParams,
    response: typicalCaseSchema,
  })
  getTypicalCaseForStaff(@Param() p: P<typeof caseIdParams>) {
    return this.cases.staffView(p.id);
  }

  @Endpoint({
    method: 'POST',
    path: ':id/review',
    operationId: 'reviewTypicalCase',
    summary: '审核典型案例：通过则复核后进入公示期（5 到 30 天），不通过则结束',
    tags: ['cases'],
    callers: ['reviewer', 'admin'],
    params: caseIdParams,
    body: reviewTypicalCaseBody,
    response: typicalCaseSchema,
    status: 200,
  })
  reviewTypicalCase(
    @Param() p: P<typeof caseIdParams>,
    @Body() b: P<typeof reviewTypicalCaseBody>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.cases.review(who, p.id, b);
  }

  @Endpoint({
    method: 'POST',
    path: ':id/publish',
    operationId: 'publishTypicalCase',
    summary:
      '发布典型案例：公示期满、异议处理完毕且复核通过后，附案例正文、图片（JPEG/PNG，至多 4 张）与企业同意公开的记录',
    tags: ['cases'],
    callers: ['reviewer', 'admin'],
    params: caseIdParams,
    body: publishTypicalCaseBody,
    bodyLimit: '12mb',
    response: typicalCaseSchema,
    status: 200,
  })
  publishTypicalCase(
    @Param() p: P<typeof caseIdParams>,
    @Body() b: P<typeof publishTypicalCaseBody>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.cases.publish(who, p.id, b);
  }

  @Endpoint({
    method: 'POST',
    path: ':id/withdraw',
    operationId: 'withdrawTypicalCase',
    summary: '撤销典型案例（说明原因，公示页面显示撤销说明）',
    tags: ['cases'],
    callers: ['reviewer', 'admin'],
    params: caseIdParams,
    body: withdrawTypicalCaseBody,
    response: typicalCaseSchema,
    status: 200,
  })
  withdrawTypicalCase(
    @Param() p: P<typeof caseIdParams>,
    @Body() b: P<typeof withdrawTypicalCaseBody>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.cases.withdraw(who, p.id, b.reason);
  }

  @Endpoint({
    method: 'POST',
    path: 'red-list/publication',
    operationId: 'publishRedList',
    summary: '发布诚信主体名单：纳入新符合条件的 A 级主体，移出不再符合条件的主体',
    tags: ['cases'],
    callers: ['admin'],
    response: redListPublicationSchema,
    status: 200,
  })
  publishRedList(@CurrentPrincipal() who: Principal) {
    return this.site.publishRedList(who);
  }
}
