import { z } from 'zod';
import { idNumberSchema, safeText, usccSchema } from '../validation';

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
      verifiedAs: z.object({ name: z.string(), idNumber: z.string() }),
    }),
  ),
  verificationAttempts: z.array(z.object({ at: isoTime, uscc: z.string(), succeeded: z.boolean() })),
  sessions: z.array(z.object({ startedAt: isoTime, lastUsedAt: isoTime, expiresAt: isoTime, current: z.boolean() })),
  retention: z.object({ auditDays: z.number().int() }),
});
export type Me = z.infer<typeof meSchema>;
