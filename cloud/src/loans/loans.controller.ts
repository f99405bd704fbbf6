import { Body, Controller, Param, Query } from '@nestjs/common';
import {
  authorizationIdParams,
  loanStatsSchema,
  authorizedCreditParams,
  authorizedCreditSchema,
  bankLoanApplicationsQuery,
  createLoanApplicationSchema,
  dataAuthorizationListSchema,
  dataAuthorizationSchema,
  grantDataAuthorizationSchema,
  loanApplicationIdParams,
  loanApplicationListSchema,
  loanApplicationSchema,
  loanProductListSchema,
  loanProductSchema,
  loanProductsQuery,
  myAuthorizationsQuery,
  myLoanApplicationsQuery,
  updateLoanApplicationSchema,
  upsertLoanProductSchema,
} from '@heihe/shared';
import type { z } from 'zod';
import { CurrentPrincipal, type Principal } from '../auth';
import { Endpoint } from '../common/endpoint';
import { LOAN_SCOPE, LoansService } from './loans.service';

type P<S extends z.ZodType> = z.infer<S>;

/** 信易贷: products, data authorisation, the bank's authorised read, and applications. */
@Controller('loans')
export class LoansController {
  constructor(private readonly loans: LoansService) {}

  @Endpoint({
    method: 'GET',
    path: 'products',
    operationId: 'listLoanProducts',
    summary: '信易贷产品：企业看到按信用等级、行业、区域可申请的产品（A 级为重点推介）；银行看到本行全部产品',
    tags: ['loans'],
    callers: ['enterprise', 'api_client'],
    scope: LOAN_SCOPE,
    query: loanProductsQuery,
    response: loanProductListSchema,
  })
  listLoanProducts(@Query() q: P<typeof loanProductsQuery>, @CurrentPrincipal() who: Principal) {
    return this.loans.listProducts(q.entityId, who);
  }

  @Endpoint({
    method: 'POST',
    path: 'products',
    operationId: 'upsertLoanProduct',
    summary: '银行登记或修改本行信易贷产品（额度、利率、期限、最低信用等级、行业、区域、办理时限）；只能修改本行产品',
    tags: ['loans'],
    callers: ['api_client'],
    scope: LOAN_SCOPE,
    body: upsertLoanProductSchema,
    response: loanProductSchema,
    status: 200,
  })
  upsertLoanProduct(@Body() b: P<typeof upsertLoanProductSchema>, @CurrentPrincipal() who: Principal) {
    return this.loans.upsertProduct(b, who);
  }

  @Endpoint({
    method: 'POST',
    path: 'authorizations',
    operationId: 'grantDataAuthorization',
    summary: '企业法定代表人授权一家银行在限定期限内（最长 90 天）查询本企业的信用评价和/或信用记录',
    tags: ['loans'],
    callers: ['enterprise'],
    body: grantDataAuthorizationSchema,
    response: dataAuthorizationSchema,
    status: 201,
  })
  grantDataAuthorization(@Body() b: P<typeof grantDataAuthorizationSchema>, @CurrentPrincipal() who: Principal) {
    return this.loans.grant(b, who);
  }

  @Endpoint({
    method: 'POST',
    path: 'authorizations/:authorizationId/revoke',
    operationId: 'revokeDataAuthorization',
    summary: '撤销数据授权：银行的下一次查询即被拒绝',
    tags: ['loans'],
    callers: ['enterprise'],
    params: authorizationIdParams,
    response: dataAuthorizationSchema,
    status: 200,
  })
  revokeDataAuthorization(@Param() p: P<typeof authorizationIdParams>, @CurrentPrincipal() who: Principal) {
    return this.loans.revoke(p.authorizationId, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'authorizations',
    operationId: 'listMyAuthorizations',
    summary: '本企业的数据授权：授权银行、内容、期限、状态，以及银行每一次查询的时间',
    tags: ['loans'],
    callers: ['enterprise'],
    query: myAuthorizationsQuery,
    response: dataAuthorizationListSchema,
  })
  listMyAuthorizations(@Query() q: P<typeof myAuthorizationsQuery>, @CurrentPrincipal() who: Principal) {
    return this.loans.listAuthorizations(q.entityId, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'credit/:uscc',
    operationId: 'getAuthorizedEnterpriseCredit',
    summary: '银行凭企业的有效授权查询其信用评价和信用记录（按授权范围）；无有效授权一律 404；每次查询留痕并向企业公开',
    tags: ['loans'],
    callers: ['api_client'],
    scope: LOAN_SCOPE,
    params: authorizedCreditParams,
    response: authorizedCreditSchema,
  })
  getAuthorizedEnterpriseCredit(@Param() p: P<typeof authorizedCreditParams>, @CurrentPrincipal() who: Principal) {
    return this.loans.readCredit(p.uscc, who);
  }

  @Endpoint({
    method: 'POST',
    path: 'applications',
    operationId: 'createLoanApplication',
    summary: '企业申请信易贷产品，同时授权该产品所属银行查询本企业信用信息（一步完成）',
    tags: ['loans'],
    callers: ['enterprise'],
    body: createLoanApplicationSchema,
    response: loanApplicationSchema,
    status: 201,
  })
  createLoanApplication(@Body() b: P<typeof createLoanApplicationSchema>, @CurrentPrincipal() who: Principal) {
    return this.loans.apply(b, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'applications/mine',
    operationId: 'listMyLoanApplications',
    summary: '本企业的信易贷申请：状态、办理时限与进度',
    tags: ['loans'],
    callers: ['enterprise'],
    query: myLoanApplicationsQuery,
    response: loanApplicationListSchema,
  })
  listMyLoanApplications(@Query() q: P<typeof myLoanApplicationsQuery>, @CurrentPrincipal() who: Principal) {
    return this.loans.listMyApplications(q.entityId, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'applications',
    operationId: 'listLoanApplications',
    summary: '银行查看本行产品收到的信易贷申请（可按状态筛选），含办理时限',
    tags: ['loans'],
    callers: ['api_client'],
    scope: LOAN_SCOPE,
    query: bankLoanApplicationsQuery,
    response: loanApplicationListSchema,
  })
  listLoanApplications(@Query() q: P<typeof bankLoanApplicationsQuery>, @CurrentPrincipal() who: Principal) {
    return this.loans.listBankApplications(q.status, who);
  }

  @Endpoint({
    method: 'POST',
    path: 'applications/:applicationId/status',
    operationId: 'updateLoanApplication',
    summary: '银行办理信易贷申请：受理 → 授信（金额、利率）或拒绝（须说明理由）→ 放款；企业即收到订阅消息',
    tags: ['loans'],
    callers: ['api_client'],
    scope: LOAN_SCOPE,
    params: loanApplicationIdParams,
    body: updateLoanApplicationSchema,
    response: loanApplicationSchema,
    status: 200,
  })
  updateLoanApplication(
    @Param() p: P<typeof loanApplicationIdParams>,
    @Body() b: P<typeof updateLoanApplicationSchema>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.loans.update(p.applicationId, b, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'stats',
    operationId: 'getLoanStats',
    summary: '跟踪评估：信易贷申请按状态统计、授信通过率、申请与授信金额、办理用时与超期未办',
    tags: ['loans'],
    callers: ['admin', 'reviewer'],
    response: loanStatsSchema,
  })
  getLoanStats() {
    return this.loans.stats();
  }
}
