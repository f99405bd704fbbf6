import { z } from 'zod';
import { idParamSchema, industryPrefixSchema, regionPrefixSchema, safeText } from '../validation';
import { STAFF_ROLES } from './identity';
import { APPLICATION_KINDS } from '../rights/labels';

// ---- Operations (运维管理): staff accounts, API clients, the audit trail --------------------------

/** Staff account states as the console shows them. */
export const STAFF_STATES = ['active', 'locked_out', 'locked'] as const;
export const STAFF_STATE_LABELS: Record<(typeof STAFF_STATES)[number], string> = {
  active: '正常',
  locked_out: '登录失败过多，临时锁定',
  locked: '已锁定',
};

export const staffAccountIdParams = z.object({ id: idParamSchema('账号编号应为正整数') });

export const createStaffAccountRequestSchema = z.object({
  username: safeText({ error: '请填写用户名' })
    .trim()
    .regex(/^[a-z][a-z0-9._-]{2,31}$/, '用户名为 3 到 32 位小写字母、数字或 . _ -，以字母开头'),
  displayName: safeText({ error: '请填写姓名' }).trim().min(2, '请填写姓名').max(32, '姓名不超过 32 字'),
  role: z.enum(STAFF_ROLES, { error: '请选择角色' }),
});

export const staffAccountSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(STAFF_ROLES),
  state: z.enum(STAFF_STATES),
  /** The temporary lockout after failed sign-ins ends then (state locked_out). */
  lockedUntil: z.string().nullable(),
  /** An administrator locked the account then (state locked): no sign-in, sessions ended. */
  disabledAt: z.string().nullable(),
  failedLogins: z.number().int(),
  createdAt: z.string(),
});
export type StaffAccountView = z.infer<typeof staffAccountSchema>;
export const staffAccountListSchema = z.object({ items: z.array(staffAccountSchema) });

/** The TOTP secret (and, at creation, the initial password) are shown once. */
export const staffCredentialsSchema = z.object({
  account: staffAccountSchema,
  /** Only at creation. */
  password: z.string().nullable(),
  totpSecret: z.string(),
  otpauthUri: z.string(),
});

export const API_CLIENT_KIND_LABELS = {
  department: '行业主管部门',
  bank: '银行',
  association: '行业协会',
  data_source: '数据报送单位',
} as const;
const apiClientKinds = ['department', 'bank', 'association', 'data_source'] as const;

/** The scopes operations check (`@Endpoint({ scope })`), in words. */
export const API_CLIENT_SCOPES = {
  ingest: '数据报送',
  'evaluations:read': '查询主体评价',
  'statistics:read': '统计数据',
  'results:feed': '评价结果订阅与使用反馈',
  'incentives:read': '绿色通道核验',
  'recommendations:read': '信易贷重点推介',
  'loans:bank': '信易贷（银行）',
} as const;
const scopeKeys = [
  'ingest',
  'evaluations:read',
  'statistics:read',
  'results:feed',
  'incentives:read',
  'recommendations:read',
  'loans:bank',
] as const satisfies readonly (keyof typeof API_CLIENT_SCOPES)[];

export const apiClientIdParams = z.object({ id: idParamSchema('客户端编号应为正整数') });

export const createApiClientRequestSchema = z
  .object({
    name: safeText({ error: '请填写名称' }).trim().min(2, '请填写名称').max(100, '名称不超过 100 字'),
    kind: z.enum(apiClientKinds, { error: '请选择类型' }),
    scopes: z
      .array(z.enum(scopeKeys, { error: '未知的权限' }), { error: '请至少选择一项权限' })
      .min(1, '请至少选择一项权限')
      .refine((s) => new Set(s).size === s.length, '权限不能重复'),
    purpose: safeText().trim().max(500, '用途不超过 500 字').default(''),
    legalBasis: safeText().trim().max(500, '依据不超过 500 字').default(''),
    regionPrefix: regionPrefixSchema.nullable().default(null),
    industryPrefix: industryPrefixSchema.nullable().default(null),
  })
  // A recipient of results states its purpose and legal basis at registration (issue 17).
  .refine((c) => c.kind === 'data_source' || c.purpose.length >= 2, {
    path: ['purpose'],
    message: '请填写使用评价结果的用途',
  })
  .refine((c) => c.kind === 'data_source' || c.legalBasis.length >= 2, {
    path: ['legalBasis'],
    message: '请填写使用评价结果的依据（法规或协议）',
  });

export const apiClientSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(apiClientKinds),
  scopes: z.array(z.string()),
  purpose: z.string(),
  legalBasis: z.string(),
  regionPrefix: z.string().nullable(),
  industryPrefix: z.string().nullable(),
  createdAt: z.string(),
  /** Disabled then: its key is refused. */
  revokedAt: z.string().nullable(),
});
export type ApiClientView = z.infer<typeof apiClientSchema>;
export const apiClientListSchema = z.object({ items: z.array(apiClientSchema) });
/** The key is shown once; only its SHA-256 is stored. */
export const apiClientKeySchema = z.object({ client: apiClientSchema, apiKey: z.string() });

// ---- The audit trail -------------------------------------------------------------------------

export const auditSearchQuery = z.object({
  /** Part of the actor, e.g. a username or `admin:zhang`. */
  actor: safeText().trim().max(100).optional(),
  /** An action or its prefix: `staff.` finds every staff action. */
  action: safeText().trim().max(100).optional(),
  /** The object's type (`staff_account`, `objection` …) and, optionally, its id. */
  objectType: safeText().trim().max(64).optional(),
  objectId: safeText().trim().max(64).optional(),
  entityId: z.coerce.number().int().positive().max(2147483647).optional(),
  /** Keyset: entries older than this id (the previous page's nextBefore). */
  before: z
    .string()
    .regex(/^[1-9]\d{0,17}$/, '翻页标记无效')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actorKind: z.string(),
  actorId: z.string().nullable(),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string().nullable(),
  entityId: z.number().int().nullable(),
  detail: z.unknown(),
  /** Chained by the sealer (ADR 0010). */
  sealed: z.boolean(),
});
export const auditSearchResultSchema = z.object({
  items: z.array(auditEntrySchema),
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: z.string().nullable(),
});

export const auditChainStatusSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstId: z.string().nullable(),
  anchor: z.enum(['genesis', 'retained', 'empty']),
  headHash: z.string().nullable(),
  unsealed: z.number().int(),
  staleUnsealed: z.number().int(),
  break: z
    .object({ id: z.string(), reason: z.enum(['hash', 'link', 'missing']), expected: z.string(), found: z.string() })
    .nullable(),
  /** What `npm run audit:verify` would print. */
  summary: z.string(),
  verifiedAt: z.string(),
});

// ---- Holiday schedules: what a schedule would move, before it is loaded ----------------------

export const calendarPreviewSchema = z.object({
  year: z.number().int(),
  /** The open applications whose provisional deadline loading would recompute (the same set and code as the load). */
  items: z.array(
    z.object({
      kind: z.enum(APPLICATION_KINDS),
      id: z.number().int(),
      entityId: z.number().int(),
      entityName: z.string(),
      from: z.string(),
      to: z.string(),
      /** Still provisional after the load (the count reaches a year still without a schedule). */
      provisional: z.boolean(),
    }),
  ),
  /** How many of them change date. */
  moved: z.number().int(),
});
export type CalendarPreview = z.infer<typeof calendarPreviewSchema>;
