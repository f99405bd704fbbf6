import { Body, Controller, Param } from '@nestjs/common';
import {
  AppError,
  bindingSchema,
  ErrorCodes,
  faceVerificationStartSchema,
  identityElementsSchema,
  meSchema,
  myEnterprisesSchema,
  personalDataExportSchema,
  privacyConsentRequestSchema,
  privacyConsentSchema,
  unbindEnterpriseParams,
  unbindEnterpriseResultSchema,
  verifyIdentityRequestSchema,
  withdrawPrivacyConsentResultSchema,
} from '@heihe/shared';
import type { z } from 'zod';
import { CurrentPrincipal, type Principal } from '../auth';
import { Endpoint } from '../common/endpoint';
import { IdentityService } from './identity.service';

type B<S extends z.ZodType> = z.infer<S>;
type User = Extract<Principal, { kind: 'user' }>;

/** The guard admits only 'enterprise' callers here; this narrows the type for the service. */
function user(p: Principal): User {
  if (p.kind !== 'user') throw new AppError(ErrorCodes.FORBIDDEN, '仅企业用户可调用该接口');
  return p;
}

@Controller()
export class IdentityController {
  constructor(private readonly identity: IdentityService) {}

  @Endpoint({
    method: 'POST',
    path: 'me/privacy-consent',
    operationId: 'recordPrivacyConsent',
    summary: '同意隐私政策（记录版本；身份核验前必须完成）',
    tags: ['identity'],
    callers: ['enterprise'],
    body: privacyConsentRequestSchema,
    response: privacyConsentSchema,
    status: 200,
  })
  recordPrivacyConsent(@Body() b: B<typeof privacyConsentRequestSchema>, @CurrentPrincipal() who: Principal) {
    return this.identity.recordConsent(user(who), b.version);
  }

  @Endpoint({
    method: 'POST',
    path: 'identity/face-verifications',
    operationId: 'startFaceVerification',
    summary: '核对法定代表人三要素并发起人脸核身（返回 verifyId 供 wx.requestFacialVerify 使用）',
    tags: ['identity'],
    callers: ['enterprise'],
    body: identityElementsSchema,
    response: faceVerificationStartSchema,
    status: 200,
  })
  startFaceVerification(@Body() b: B<typeof identityElementsSchema>, @CurrentPrincipal() who: Principal) {
    return this.identity.startFaceVerification(user(who), b);
  }

  @Endpoint({
    method: 'POST',
    path: 'identity/verifications',
    operationId: 'verifyIdentity',
    summary: '身份核验并绑定企业（法定代表人三要素 + 人脸核身结果）',
    tags: ['identity'],
    callers: ['enterprise'],
    body: verifyIdentityRequestSchema,
    response: bindingSchema,
    status: 200,
  })
  verifyIdentity(@Body() b: B<typeof verifyIdentityRequestSchema>, @CurrentPrincipal() who: Principal) {
    return this.identity.verifyIdentity(user(who), b);
  }

  @Endpoint({
    method: 'GET',
    path: 'me',
    operationId: 'getMe',
    summary: '本人信息：平台保存的关于我的全部个人信息（脱敏）',
    tags: ['identity'],
    callers: ['enterprise'],
    response: meSchema,
  })
  getMe(@CurrentPrincipal() who: Principal) {
    return this.identity.getMe(user(who));
  }

  @Endpoint({
    method: 'GET',
    path: 'me/enterprises',
    operationId: 'listMyEnterprises',
    summary: '我已绑定的企业',
    tags: ['identity'],
    callers: ['enterprise'],
    response: myEnterprisesSchema,
  })
  listMyEnterprises(@CurrentPrincipal() who: Principal) {
    return this.identity.listMyEnterprises(user(who));
  }

  @Endpoint({
    method: 'GET',
    path: 'me/personal-data',
    operationId: 'exportMyPersonalData',
    summary: '导出我的个人信息（副本，身份证号脱敏；导出留痕）',
    tags: ['identity'],
    callers: ['enterprise'],
    response: personalDataExportSchema,
  })
  exportMyPersonalData(@CurrentPrincipal() who: Principal) {
    return this.identity.exportMyData(user(who));
  }

  @Endpoint({
    method: 'POST',
    path: 'me/privacy-consent/withdraw',
    operationId: 'withdrawPrivacyConsent',
    summary: '撤回隐私政策同意：解除全部企业绑定、取消未使用的消息订阅（此前的处理不受影响）',
    tags: ['identity'],
    callers: ['enterprise'],
    response: withdrawPrivacyConsentResultSchema,
    status: 200,
  })
  withdrawPrivacyConsent(@CurrentPrincipal() who: Principal) {
    return this.identity.withdrawConsent(user(who));
  }

  @Endpoint({
    method: 'DELETE',
    path: 'me/enterprises/:entityId',
    operationId: 'unbindEnterprise',
    summary: '解除与一家企业的绑定（立即生效；再次绑定需重新身份核验）',
    tags: ['identity'],
    callers: ['enterprise'],
    params: unbindEnterpriseParams,
    response: unbindEnterpriseResultSchema,
    status: 200,
  })
  unbindEnterprise(@Param() p: B<typeof unbindEnterpriseParams>, @CurrentPrincipal() who: Principal) {
    return this.identity.unbindEnterprise(user(who), p.entityId);
  }
}
