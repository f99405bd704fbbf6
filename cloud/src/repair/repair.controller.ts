import { Body, Controller, Param, Query } from '@nestjs/common';
import {
  applicationIdParams,
  createRepairApplicationSchema,
  decideRepairApplicationSchema,
  myApplicationsQuery,
  recordParams,
  repairApplicationListSchema,
  repairApplicationSchema,
  repairEligibilitySchema,
  resubmitRepairSchema,
} from '@heihe/shared';
import type { z } from 'zod';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { Endpoint } from '../common/endpoint';
import { RepairService } from './repair.service';

type P<S extends z.ZodType> = z.infer<S>;

@Controller()
export class RepairController {
  constructor(private readonly repair: RepairService) {}

  @Endpoint({
    method: 'GET',
    path: 'entities/:entityId/records/:recordId/repair-eligibility',
    operationId: 'getRepairEligibility',
    summary: '该记录现在能否申请信用修复；不能时给出原因和可申请日期',
    tags: ['rights'],
    callers: ['enterprise'],
    params: recordParams,
    response: repairEligibilitySchema,
  })
  getRepairEligibility(@Param() p: P<typeof recordParams>, @CurrentPrincipal() who: Principal) {
    return this.repair.checkEligibility(who, p.entityId, p.recordId);
  }

  @Endpoint({
    method: 'POST',
    path: 'repair-applications',
    operationId: 'createRepairApplication',
    summary: '申请信用修复（行政处罚和名单类记录，最短公示期届满后）：附信用修复承诺书和履行证明',
    tags: ['rights'],
    callers: ['enterprise'],
    body: createRepairApplicationSchema,
    response: repairApplicationSchema,
  })
  createRepairApplication(@Body() b: P<typeof createRepairApplicationSchema>, @CurrentPrincipal() who: Principal) {
    return this.repair.create(who, b);
  }

  @Endpoint({
    method: 'GET',
    path: 'repair-applications',
    operationId: 'listMyRepairApplications',
    summary: '本企业的信用修复申请',
    tags: ['rights'],
    callers: ['enterprise'],
    query: myApplicationsQuery,
    response: repairApplicationListSchema,
  })
  listMyRepairApplications(@Query() q: P<typeof myApplicationsQuery>, @CurrentPrincipal() who: Principal) {
    return this.repair.listMine(who, q);
  }

  @Endpoint({
    method: 'GET',
    path: 'repair-applications/:id',
    operationId: 'getRepairApplication',
    summary: '信用修复申请详情',
    tags: ['rights'],
    callers: ['enterprise', 'reviewer', 'admin'],
    params: applicationIdParams,
    response: repairApplicationSchema,
  })
  getRepairApplication(@Param() p: P<typeof applicationIdParams>, @CurrentPrincipal() who: Principal) {
    return this.repair.get(who, p.id);
  }

  @Endpoint({
    method: 'POST',
    path: 'repair-applications/:id/resubmission',
    operationId: 'resubmitRepairApplication',
    summary: '补正材料后重新提交修复申请（办理期限重新计算）',
    tags: ['rights'],
    callers: ['enterprise'],
    params: applicationIdParams,
    body: resubmitRepairSchema,
    response: repairApplicationSchema,
    status: 200,
  })
  resubmitRepairApplication(
    @Param() p: P<typeof applicationIdParams>,
    @Body() b: P<typeof resubmitRepairSchema>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.repair.resubmit(who, p.id, b);
  }

  @Endpoint({
    method: 'POST',
    path: 'repair-applications/:id/decision',
    operationId: 'decideRepairApplication',
    summary: '办理信用修复：受理、退回补正、准予修复（记录标记已修复并重新评分）或不予修复，均须书面理由',
    tags: ['review'],
    callers: ['reviewer', 'admin'],
    params: applicationIdParams,
    body: decideRepairApplicationSchema,
    response: repairApplicationSchema,
    status: 200,
  })
  decideRepairApplication(
    @Param() p: P<typeof applicationIdParams>,
    @Body() b: P<typeof decideRepairApplicationSchema>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.repair.decide(who, p.id, b);
  }
}
