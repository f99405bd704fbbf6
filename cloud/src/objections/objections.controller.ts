import { Body, Controller, Param, Query } from '@nestjs/common';
import {
  applicationIdParams,
  createObjectionSchema,
  decideObjectionSchema,
  myApplicationsQuery,
  objectionListSchema,
  objectionSchema,
  resubmitSchema,
} from '@heihe/shared';
import type { z } from 'zod';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { Endpoint } from '../common/endpoint';
import { ObjectionsService } from './objections.service';

type P<S extends z.ZodType> = z.infer<S>;

@Controller('objections')
export class ObjectionsController {
  constructor(private readonly objections: ObjectionsService) {}

  @Endpoint({
    method: 'POST',
    path: '',
    operationId: 'createObjection',
    summary: '提出信用异议：指明记录、异议理由、说明与证明材料；7 个工作日内办结',
    tags: ['rights'],
    callers: ['enterprise'],
    body: createObjectionSchema,
    response: objectionSchema,
  })
  createObjection(@Body() b: P<typeof createObjectionSchema>, @CurrentPrincipal() who: Principal) {
    return this.objections.create(who, b);
  }

  @Endpoint({
    method: 'GET',
    path: '',
    operationId: 'listMyObjections',
    summary: '本企业的异议申请',
    tags: ['rights'],
    callers: ['enterprise'],
    query: myApplicationsQuery,
    response: objectionListSchema,
  })
  listMyObjections(@Query() q: P<typeof myApplicationsQuery>, @CurrentPrincipal() who: Principal) {
    return this.objections.listMine(who, q);
  }

  @Endpoint({
    method: 'GET',
    path: ':id',
    operationId: 'getObjection',
    summary: '异议申请详情：办理期限、进度、材料与结果',
    tags: ['rights'],
    callers: ['enterprise', 'reviewer', 'admin'],
    params: applicationIdParams,
    response: objectionSchema,
  })
  getObjection(@Param() p: P<typeof applicationIdParams>, @CurrentPrincipal() who: Principal) {
    return this.objections.get(who, p.id);
  }

  @Endpoint({
    method: 'POST',
    path: ':id/resubmission',
    operationId: 'resubmitObjection',
    summary: '补正材料后重新提交异议（办理期限重新计算）',
    tags: ['rights'],
    callers: ['enterprise'],
    params: applicationIdParams,
    body: resubmitSchema,
    response: objectionSchema,
    status: 200,
  })
  resubmitObjection(
    @Param() p: P<typeof applicationIdParams>,
    @Body() b: P<typeof resubmitSchema>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.objections.resubmit(who, p.id, b);
  }

  @Endpoint({
    method: 'POST',
    path: ':id/decision',
    operationId: 'decideObjection',
    summary: '办理异议：受理、退回补正、异议成立（撤销或更正记录并重新评分）或不成立，均须书面理由',
    tags: ['review'],
    callers: ['reviewer', 'admin'],
    params: applicationIdParams,
    body: decideObjectionSchema,
    response: objectionSchema,
    status: 200,
  })
  decideObjection(
    @Param() p: P<typeof applicationIdParams>,
    @Body() b: P<typeof decideObjectionSchema>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.objections.decide(who, p.id, b);
  }
}
