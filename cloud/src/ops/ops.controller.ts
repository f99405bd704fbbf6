import { Body, Controller, Param, Query } from '@nestjs/common';
import {
  apiClientIdParams,
  apiClientKeySchema,
  apiClientListSchema,
  apiClientSchema,
  auditChainStatusSchema,
  auditSearchQuery,
  auditSearchResultSchema,
  createApiClientRequestSchema,
  createStaffAccountRequestSchema,
  staffAccountIdParams,
  staffAccountListSchema,
  staffAccountSchema,
  staffCredentialsSchema,
} from '@heihe/shared';
import type { z } from 'zod';
import { CurrentPrincipal, type Principal } from '../auth';
import { Endpoint } from '../common/endpoint';
import { AccountsService } from './accounts.service';
import { AuditTrailService } from './audit-trail.service';

type P<S extends z.ZodType> = z.infer<S>;

/** 运维管理 for administrators: staff accounts, API clients and the audit trail. */
@Controller()
export class OpsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly audit: AuditTrailService,
  ) {}

  @Endpoint({
    method: 'GET',
    path: 'staff-accounts',
    operationId: 'listStaffAccounts',
    summary: '工作人员账号列表（角色、状态；不含密码与动态口令）',
    tags: ['ops'],
    callers: ['admin'],
    response: staffAccountListSchema,
  })
  listStaffAccounts() {
    return this.accounts.listStaff();
  }

  @Endpoint({
    method: 'POST',
    path: 'staff-accounts',
    operationId: 'createStaffAccount',
    summary: '新建工作人员账号（初始密码与动态口令密钥仅此一次返回）',
    tags: ['ops'],
    callers: ['admin'],
    body: createStaffAccountRequestSchema,
    response: staffCredentialsSchema,
  })
  createStaffAccount(@Body() b: P<typeof createStaffAccountRequestSchema>, @CurrentPrincipal() who: Principal) {
    return this.accounts.createStaff(b, who);
  }

  @Endpoint({
    method: 'POST',
    path: 'staff-accounts/:id/totp-reset',
    operationId: 'resetStaffTotp',
    summary: '重置工作人员的动态口令（如手机丢失；新密钥仅此一次返回，并解除临时锁定）',
    tags: ['ops'],
    callers: ['admin'],
    params: staffAccountIdParams,
    response: staffCredentialsSchema,
    status: 200,
  })
  resetStaffTotp(@Param() p: P<typeof staffAccountIdParams>, @CurrentPrincipal() who: Principal) {
    return this.accounts.resetTotp(p.id, who);
  }

  @Endpoint({
    method: 'POST',
    path: 'staff-accounts/:id/lock',
    operationId: 'lockStaffAccount',
    summary: '锁定工作人员账号（不能登录，已有登录立即失效；不能锁定自己）',
    tags: ['ops'],
    callers: ['admin'],
    params: staffAccountIdParams,
    response: staffAccountSchema,
    status: 200,
  })
  lockStaffAccount(@Param() p: P<typeof staffAccountIdParams>, @CurrentPrincipal() who: Principal) {
    return this.accounts.lockStaff(p.id, who);
  }

  @Endpoint({
    method: 'POST',
    path: 'staff-accounts/:id/unlock',
    operationId: 'unlockStaffAccount',
    summary: '解锁工作人员账号（管理员锁定或登录失败过多的临时锁定）',
    tags: ['ops'],
    callers: ['admin'],
    params: staffAccountIdParams,
    response: staffAccountSchema,
    status: 200,
  })
  unlockStaffAccount(@Param() p: P<typeof staffAccountIdParams>, @CurrentPrincipal() who: Principal) {
    return this.accounts.unlockStaff(p.id, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'api-clients',
    operationId: 'listApiClients',
    summary: 'API 客户端列表（类型、权限、用途与依据、结果范围；不含密钥）',
    tags: ['ops'],
    callers: ['admin'],
    response: apiClientListSchema,
  })
  listApiClients() {
    return this.accounts.listClients();
  }

  @Endpoint({
    method: 'POST',
    path: 'api-clients',
    operationId: 'createApiClient',
    summary: '登记 API 客户端（部门、银行、协会、数据报送单位；API 密钥仅此一次返回）',
    tags: ['ops'],
    callers: ['admin'],
    body: createApiClientRequestSchema,
    response: apiClientKeySchema,
  })
  createApiClient(@Body() b: P<typeof createApiClientRequestSchema>, @CurrentPrincipal() who: Principal) {
    return this.accounts.createClient(b, who);
  }

  @Endpoint({
    method: 'POST',
    path: 'api-clients/:id/disable',
    operationId: 'disableApiClient',
    summary: '停用 API 客户端（其密钥立即失效）',
    tags: ['ops'],
    callers: ['admin'],
    params: apiClientIdParams,
    response: apiClientSchema,
    status: 200,
  })
  disableApiClient(@Param() p: P<typeof apiClientIdParams>, @CurrentPrincipal() who: Principal) {
    return this.accounts.disableClient(p.id, who);
  }

  @Endpoint({
    method: 'POST',
    path: 'api-clients/:id/rotate-key',
    operationId: 'rotateApiClientKey',
    summary: '更换 API 客户端的密钥（旧密钥立即失效；新密钥仅此一次返回）',
    tags: ['ops'],
    callers: ['admin'],
    params: apiClientIdParams,
    response: apiClientKeySchema,
    status: 200,
  })
  rotateApiClientKey(@Param() p: P<typeof apiClientIdParams>, @CurrentPrincipal() who: Principal) {
    return this.accounts.rotateClientKey(p.id, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'audit-log',
    operationId: 'searchAuditLog',
    summary: '审计日志查询（按操作人、对象、动作；由新到旧分页；查询本身记入审计）',
    tags: ['ops'],
    callers: ['admin'],
    query: auditSearchQuery,
    response: auditSearchResultSchema,
  })
  searchAuditLog(@Query() q: P<typeof auditSearchQuery>, @CurrentPrincipal() who: Principal) {
    return this.audit.search(q, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'audit-log/verification',
    operationId: 'getAuditChainStatus',
    summary: '审计链校验：逐条重算哈希链，报告是否完整、尚未封存的条数与断点（校验本身记入审计）',
    tags: ['ops'],
    callers: ['admin'],
    response: auditChainStatusSchema,
  })
  getAuditChainStatus(@CurrentPrincipal() who: Principal) {
    return this.audit.verify(who);
  }
}
