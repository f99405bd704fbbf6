import { z } from 'zod';
import { idNumberSchema, idParamSchema, safeText, usccSchema } from '../validation';

/** Sign-in, identity verification and "what we hold about me": the shapes both sides use. */

const isoTime = z.string();

export const STAFF_ROLES = ['reviewer', 'admin', 'investment_officer'] as const;
export const staffRoleSchema = z.enum(STAFF_ROLES);

/** 'three_elements_face' when 人脸核身 passed too; 'three_elements' in deployments without it. */
export const bindingMethodSchema = z.enum(['three_elements', 'three_elements_face']);

export const wechatLoginRequestSchema = z.object({
  /** The one-time code of wx.login (Taro.login), or of the fake server in demo mode. */
  code: safeText({ error: '缺少登录凭证' }).min(1, '缺少登录凭证').max(128),
});

const tokens = {
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
  tokenType: z.literal('Bearer'),
};

export const authTokensSchema = z.object(tokens);
export type AuthTokensResponse = z.infer<typeof authTokensSchema>;

export const enterpriseRefSchema = z.object({ entityId: z.number().int(), uscc: z.string(), name: z.string() });
export type EnterpriseRef = z.infer<typeof enterpriseRefSchema>;

export const wechatLoginResultSchema = z.object({
  ...tokens,
  user: z.object({
    id: z.number().int(),
    enterprises: z.array(enterpriseRefSchema),
    /** True until the current privacy terms are accepted (recordPrivacyConsent). */
    privacyConsentRequired: z.boolean(),
    privacyPolicyVersion: z.string(),
  }),
});
export type WechatLoginResult = z.infer<typeof wechatLoginResultSchema>;

export const refreshTokenRequestSchema = z.object({
  refreshToken: safeText({ error: '缺少刷新令牌' }).min(16, '刷新令牌无效').max(256, '刷新令牌无效'),
});

export const logoutResultSchema = z.object({ loggedOut: z.literal(true) });

export const staffLoginRequestSchema = z.object({
  username: safeText({ error: '请输入用户名' }).trim().min(1, '请输入用户名').max(64),
  password: safeText({ error: '请输入密码' }).min(1, '请输入密码').max(256),
  /** The current code of the authenticator app (RFC 6238): required for every staff role. */
  totp: safeText({ error: '请输入动态口令' }).regex(/^\d{6}$/, '动态口令应为 6 位数字'),
});

export const staffLoginResultSchema = z.object({
  ...tokens,
  staff: z.object({ id: z.number().int(), username: z.string(), displayName: z.string(), role: staffRoleSchema }),
});
export type StaffLoginResult = z.infer<typeof staffLoginResultSchema>;

export const authOptionsSchema = z.object({
  demoMode: z.boolean(),
  /** Demo mode only: the fake WeChat's `POST /__fake/login-code`, for the H5 build in a browser. */
  demoLoginCodeUrl: z.string().nullable(),
  /** False when the deployment has no 人脸核身: verification then checks the three elements only. */
  faceVerification: z.boolean(),
  privacyPolicyVersion: z.string(),
});

export const privacyConsentRequestSchema = z.object({
  version: safeText({ error: '缺少隐私政策版本' }).min(1, '缺少隐私政策版本').max(32),
});

export const privacyConsentSchema = z.object({
  version: z.string().nullable(),
  consentedAt: isoTime.nullable(),
  /** When the user last withdrew the consent; null once consented again. */
  withdrawnAt: isoTime.nullable(),
  currentVersion: z.string(),
  upToDate: z.boolean(),
});

/** The three elements (三要素) of the legal representative, as on the business licence. */
export const identityElementsSchema = z.object({
  uscc: usccSchema,
  name: safeText({ error: '请输入姓名' }).trim().min(1, '请输入姓名').max(64, '姓名过长'),
  idNumber: idNumberSchema,
});

export const faceVerificationStartSchema = z.object({
  /** For wx.requestFacialVerify({ verifyId }). */
  verifyId: z.string(),
  /** Hand back to verifyIdentity after the face check; opaque and short-lived. */
  verifyToken: z.string(),
  expiresIn: z.number().int(),
});

export const verifyIdentityRequestSchema = identityElementsSchema.extend({
  /** From startFaceVerification; required unless the deployment has no face verification. */
  verifyToken: safeText().min(1).max(2048).optional(),
});

export const bindingSchema = z.object({
  entityId: z.number().int(),
  uscc: z.string(),
  name: z.string(),
  method: bindingMethodSchema,
  boundAt: isoTime,
});
export type Binding = z.infer<typeof bindingSchema>;

export const myEnterprisesSchema = z.object({ items: z.array(bindingSchema) });

/** Everything we hold about an enterprise user, masked (PIPL Art. 44–45: the right to know and copy). */
export const meSchema = z.object({
  user: z.object({
    id: z.number().int(),
    /** The WeChat openid, masked. session_key is never stored. */
    openid: z.string(),
    hasUnionid: z.boolean(),
    createdAt: isoTime,
    lastLoginAt: isoTime.nullable(),
  }),
  privacyConsent: privacyConsentSchema,
  bindings: z.array(
    bindingSchema.extend({
      /** 'superseded' when the enterprise's registered legal representative has since changed. */
      status: z.enum(['active', 'revoked', 'superseded']),
      revokedAt: isoTime.nullable(),
      /** Why a revoked binding ended, when the user ended it: unbound, or the privacy consent withdrawn. */
      revokedReason: z.enum(['unbound', 'consent_withdrawn']).nullable(),
      verifiedAs: z.object({ name: z.string(), idNumber: z.string() }),
    }),
  ),
  verificationAttempts: z.array(z.object({ at: isoTime, uscc: z.string(), succeeded: z.boolean() })),
  sessions: z.array(z.object({ startedAt: isoTime, lastUsedAt: isoTime, expiresAt: isoTime, current: z.boolean() })),
  retention: z.object({ auditDays: z.number().int() }),
});
export type Me = z.infer<typeof meSchema>;

// ---- my data: export, consent withdrawal, unbinding (PIPL Art. 15, 45, 47) ----------------------

export const unbindEnterpriseParams = z.object({ entityId: idParamSchema('主体编号应为正整数') });

export const withdrawPrivacyConsentResultSchema = z.object({
  withdrawnAt: isoTime,
  /** The enterprises unbound with it: acting for an enterprise needs the consent. */
  unbound: z.array(enterpriseRefSchema),
  /** Unused WeChat subscribe-message acceptances cancelled with it. */
  subscriptionsCancelled: z.number().int(),
});
export type WithdrawPrivacyConsentResult = z.infer<typeof withdrawPrivacyConsentResultSchema>;

export const unbindEnterpriseResultSchema = enterpriseRefSchema.extend({ unboundAt: isoTime });
export type UnbindEnterpriseResult = z.infer<typeof unbindEnterpriseResultSchema>;

/** A copy of the user's own personal data (PIPL Art. 45), as a file to keep; ID numbers stay masked. */
export const personalDataExportSchema = z.object({
  format: z.literal('heihe-credit-personal-data/1'),
  exportedAt: isoTime,
  me: meSchema,
  subscriptions: z.array(z.object({ templateId: z.string(), grantedAt: isoTime, usedAt: isoTime.nullable() })),
  applications: z.array(
    z.object({
      kind: z.enum(['objection', 'good_info', 'repair']),
      id: z.number().int(),
      entityId: z.number().int(),
      status: z.string(),
      submittedAt: isoTime,
      statement: z.string(),
    }),
  ),
  loanApplications: z.array(
    z.object({ id: z.number().int(), entityId: z.number().int(), status: z.string(), createdAt: isoTime }),
  ),
  messages: z.array(z.object({ title: z.string(), body: z.string(), createdAt: isoTime, readAt: isoTime.nullable() })),
});
export type PersonalDataExport = z.infer<typeof personalDataExportSchema>;

// ---- in-app messages (消息) ----------------------------------------------------------------------

export const MESSAGE_LINK_KINDS = ['application', 'evaluation', 'loan_application'] as const;

export const userMessageSchema = z.object({
  id: z.number().int(),
  entityId: z.number().int().nullable(),
  /** The enterprise's name, to tell two enterprises' notices apart. */
  entityName: z.string().nullable(),
  topic: z.string(),
  title: z.string(),
  body: z.string(),
  /** The page the message opens. */
  link: z.object({
    kind: z.enum(MESSAGE_LINK_KINDS),
    id: z.number().int().nullable(),
    applicationKind: z.enum(['objection', 'good_info', 'repair']).nullable(),
  }),
  createdAt: isoTime,
  readAt: isoTime.nullable(),
});
export type UserMessage = z.infer<typeof userMessageSchema>;

export const listMyMessagesQuery = z.object({
  /** Only unread messages. */
  unread: z.enum(['true', 'false']).optional(),
  /** Messages older than this id (the previous page's last id). */
  before: idParamSchema('分页参数无效').optional(),
});

export const messageIdParams = z.object({ id: idParamSchema('消息编号应为正整数') });
export const markAllMessagesReadResultSchema = z.object({ marked: z.number().int() });

export const userMessageListSchema = z.object({
  items: z.array(userMessageSchema),
  /** Unread messages in all, for the badge. */
  unread: z.number().int(),
  /** The `before` of the next page, or null at the end. */
  nextBefore: z.number().int().nullable(),
});
export type UserMessageList = z.infer<typeof userMessageListSchema>;
