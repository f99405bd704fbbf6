import {
  createRepairApplicationSchema,
  decideRepairApplicationSchema,
  recordParams,
  repairApplicationListSchema,
  repairApplicationSchema,
  repairEligibilitySchema,
  resubmitRepairSchema,
} from '@heihe/shared';
import { applicationController, route } from '../review';
import { RepairService } from './repair.service';

export const RepairController = applicationController({
  name: 'RepairController',
  service: RepairService,
  resource: 'repair-applications',
  response: repairApplicationSchema,
  listResponse: repairApplicationListSchema,
  before: [
    route(
      {
        method: 'GET',
        path: 'entities/:entityId/records/:recordId/repair-eligibility',
        operationId: 'getRepairEligibility',
        summary: '该记录现在能否申请信用修复；不能时给出原因和可申请日期',
        tags: ['rights'],
        callers: ['enterprise'],
        params: recordParams,
        response: repairEligibilitySchema,
      },
      (repair: RepairService, who, r) => repair.checkEligibility(who, r.params.entityId, r.params.recordId),
    ),
  ],
  create: {
    operationId: 'createRepairApplication',
    summary: '申请信用修复（行政处罚和名单类记录，最短公示期届满后）：附信用修复承诺书和履行证明',
    body: createRepairApplicationSchema,
  },
  list: { operationId: 'listMyRepairApplications', summary: '本企业的信用修复申请' },
  get: { operationId: 'getRepairApplication', summary: '信用修复申请详情' },
  resubmit: {
    operationId: 'resubmitRepairApplication',
    summary: '补正材料后重新提交修复申请（办理期限重新计算）',
    body: resubmitRepairSchema,
  },
  decide: {
    operationId: 'decideRepairApplication',
    summary: '办理信用修复：受理、退回补正、准予修复（记录标记已修复并重新评分）或不予修复，均须书面理由',
    body: decideRepairApplicationSchema,
  },
});
