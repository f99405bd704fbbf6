import {
  createObjectionSchema,
  decideObjectionSchema,
  objectionListSchema,
  objectionSchema,
  resubmitSchema,
} from '@heihe/shared';
import { applicationController } from '../review';
import { ObjectionsService } from './objections.service';

export const ObjectionsController = applicationController({
  name: 'ObjectionsController',
  service: ObjectionsService,
  resource: 'objections',
  response: objectionSchema,
  listResponse: objectionListSchema,
  create: {
    operationId: 'createObjection',
    summary: '提出信用异议：指明记录、异议理由、说明与证明材料；7 个工作日内办结',
    body: createObjectionSchema,
  },
  list: { operationId: 'listMyObjections', summary: '本企业的异议申请' },
  get: { operationId: 'getObjection', summary: '异议申请详情：办理期限、进度、材料与结果' },
  resubmit: {
    operationId: 'resubmitObjection',
    summary: '补正材料后重新提交异议（办理期限重新计算）',
    body: resubmitSchema,
  },
  decide: {
    operationId: 'decideObjection',
    summary: '办理异议：受理、退回补正、异议成立（撤销或更正记录并重新评分）或不成立，均须书面理由',
    body: decideObjectionSchema,
  },
});
