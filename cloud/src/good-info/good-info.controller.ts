import {
  createGoodInfoReportSchema,
  decideGoodInfoReportSchema,
  goodInfoReportListSchema,
  goodInfoReportSchema,
  resubmitSchema,
} from '@heihe/shared';
import { applicationController } from '../review';
import { GoodInfoService } from './good-info.service';

export const GoodInfoController = applicationController({
  name: 'GoodInfoController',
  service: GoodInfoService,
  resource: 'good-info-reports',
  response: goodInfoReportSchema,
  listResponse: goodInfoReportListSchema,
  create: {
    operationId: 'createGoodInfoReport',
    summary: '自主上报良好信息：荣誉表彰、公益慈善、志愿服务、就业帮扶或守合同重信用，附证明材料',
    body: createGoodInfoReportSchema,
  },
  list: { operationId: 'listMyGoodInfoReports', summary: '本企业上报的良好信息' },
  get: { operationId: 'getGoodInfoReport', summary: '良好信息上报详情' },
  resubmit: {
    operationId: 'resubmitGoodInfoReport',
    summary: '补正材料后重新提交良好信息（办理期限重新计算）',
    body: resubmitSchema,
  },
  decide: {
    operationId: 'decideGoodInfoReport',
    summary: '办理良好信息上报：受理、退回补正、确认（成为正向记录并重新评分）或不予确认，均须书面理由',
    body: decideGoodInfoReportSchema,
  },
});
