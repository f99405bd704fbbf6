import path from 'node:path';
import { z } from 'zod';

/** Repository root: cloud/dist/config or cloud/src/config → ../../.. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

const PLACEHOLDER = 'dev-only-not-secret';
const DEMO_WECHAT_SECRET = 'demo-only-not-secret';
const hexKey = z.string().regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters (32 bytes)');
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('127.0.0.1'),
    DATABASE_URL: z.string().url().optional(),
    PGLITE_DIR: z.string().default(path.join(REPO_ROOT, 'data', 'pglite')),
    REDIS_URL: z.string().url().optional(),
    /** BullMQ key prefix: lets several deployments (or test runs) share one Redis. */
    QUEUE_PREFIX: z
      .string()
      .regex(/^[\w-]+$/)
      .default('heihe'),
    DEMO_MODE: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    /** AES-256-GCM key for ID numbers at rest. */
    PII_ENCRYPTION_KEY: hexKey.default('0'.repeat(63) + '1'),
    /** HMAC-SHA256 key for ID-number equality lookups. */
    PII_HASH_KEY: hexKey.default('0'.repeat(63) + '2'),
    JWT_SECRET: z.string().min(32).default(`${PLACEHOLDER}-jwt-secret-0123456789`),
    /** Daily cycle time in China Standard Time, HH:MM; 'off' disables the schedule. */
    SCORING_CYCLE_AT: z
      .string()
      .regex(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, "use HH:MM (China time) or 'off'")
      .default('02:00'),
    INGEST_CHUNK_SIZE: z.coerce.number().int().min(1).max(100_000).default(2000),

    // ---- WeChat (every server API goes through one client with this base URL) ----
    /** https://api.weixin.qq.com in production; the fake server's URL in tests and demo mode. */
    WECHAT_BASE_URL: z.string().url().default('https://api.weixin.qq.com'),
    WECHAT_APP_ID: z.string().min(1).default('wx-demo-appid'),
    WECHAT_APP_SECRET: z.string().min(1).default(DEMO_WECHAT_SECRET),
    WECHAT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
    /** Demo mode serves a fake WeChat server here and points WECHAT_BASE_URL at it. */
    FAKE_WECHAT_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
    /** 'false' when the mini program has no 人脸核身 (only government-registered ones do). */
    FACE_VERIFY_ENABLED: bool.default(true),

    // ---- Tokens and sessions ----
    JWT_ISSUER: z.string().min(1).default('heihe-credit'),
    JWT_AUDIENCE: z.string().min(1).default('heihe-credit-api'),
    ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(30).max(3600).default(600),
    /** A refresh token unused this long is dead; the family also ends at its absolute lifetime. */
    USER_SESSION_IDLE_S: z.coerce
      .number()
      .int()
      .min(60)
      .default(7 * 86_400),
    USER_SESSION_ABSOLUTE_S: z.coerce
      .number()
      .int()
      .min(60)
      .default(30 * 86_400),
    STAFF_SESSION_IDLE_S: z.coerce
      .number()
      .int()
      .min(60)
      .default(30 * 60),
    STAFF_SESSION_ABSOLUTE_S: z.coerce
      .number()
      .int()
      .min(60)
      .default(12 * 3600),
    /** AES-256-GCM key for staff TOTP secrets at rest. */
    TOTP_ENCRYPTION_KEY: hexKey.default('0'.repeat(63) + '3'),
    STAFF_MAX_FAILED_LOGINS: z.coerce.number().int().min(1).max(100).default(5),
    STAFF_LOCKOUT_S: z.coerce
      .number()
      .int()
      .min(1)
      .default(15 * 60),

    // ---- Identity verification and privacy ----
    /** The privacy terms users accept before verification; bump it to ask everyone again. */
    PRIVACY_POLICY_VERSION: z.string().min(1).max(32).default('2026-11-29'),
    VERIFY_MAX_FAILURES_PER_USER: z.coerce.number().int().min(1).default(5),
    VERIFY_MAX_FAILURES_PER_ENTITY: z.coerce.number().int().min(1).default(10),
    VERIFY_FAILURE_WINDOW_S: z.coerce.number().int().min(60).default(86_400),
    /** Audit rows are kept at least this long; the Cybersecurity Law asks for six months. */
    AUDIT_RETENTION_DAYS: z.coerce.number().int().min(184, 'at least 184 days (six months)').default(184),

    // ---- Enterprise rights: evidence, notifications, outbox ----
    /** Local-disk evidence store (the FileStorage port's default adapter). */
    EVIDENCE_DIR: z.string().default(path.join(REPO_ROOT, 'data', 'evidence')),
    /** Per file, after the phone's own compression; 10 MiB by default. */
    EVIDENCE_MAX_BYTES: z.coerce.number().int().min(1024).max(104_857_600).default(10_485_760),
    /** Per application (an objection, a report, a repair application). */
    EVIDENCE_MAX_FILES: z.coerce.number().int().min(1).max(50).default(10),
    /** Uploaded but not yet attached, per enterprise: a cap on what an abandoned form can leave. */
    EVIDENCE_MAX_UNATTACHED: z.coerce.number().int().min(1).max(1000).default(30),
    /** Image-bomb guard: width × height from the header, in megapixels. */
    EVIDENCE_MAX_MEGAPIXELS: z.coerce.number().min(1).max(500).default(50),
    /** Public base URL WeChat's media_check_async downloads images from (signed, expiring links). */
    EVIDENCE_PUBLIC_BASE_URL: z.string().url().default('http://127.0.0.1:3000'),
    /** HMAC key for those links. */
    EVIDENCE_URL_KEY: hexKey.default('0'.repeat(63) + '4'),
    /** AES-256-GCM key for regulator webhook signing secrets at rest. */
    WEBHOOK_SECRET_KEY: hexKey.default('0'.repeat(63) + '5'),
    /** Subscribe-message templates (WeChat 公众平台 → 订阅消息); the user must accept each. */
    WECHAT_TEMPLATE_DECISION: z.string().min(1).default('demo-template-decision'),
    WECHAT_TEMPLATE_GRADE: z.string().min(1).default('demo-template-grade'),
    /** 'false' runs no relay in this process (tests; or a separate `outbox:relay` process). */
    OUTBOX_RELAY_ENABLED: bool.default(true),
    OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
    OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
    /** A claimed message is invisible to other relays this long; a crashed relay's claim lapses. */
    OUTBOX_LEASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(60_000),
    OUTBOX_BACKOFF_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(2000),
    OUTBOX_BACKOFF_MAX_MS: z.coerce.number().int().min(1).max(86_400_000).default(3_600_000),
    /** After this many failed attempts a message is parked (dead) for an operator to look at. */
    OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(20),
    OUTBOX_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV !== 'production') return;
    if (c.JWT_SECRET.includes(PLACEHOLDER))
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'placeholder secret refused in production' });
    for (const k of ['PII_ENCRYPTION_KEY', 'PII_HASH_KEY', 'TOTP_ENCRYPTION_KEY'] as const)
      if (/^0{63}[0-9]$/.test(c[k]))
        ctx.addIssue({ code: 'custom', path: [k], message: 'placeholder key refused in production' });
    for (const k of ['EVIDENCE_URL_KEY', 'WEBHOOK_SECRET_KEY'] as const)
      if (/^0{63}[0-9]$/.test(c[k]))
        ctx.addIssue({ code: 'custom', path: [k], message: 'placeholder key refused in production' });
    if (c.DEMO_MODE)
      ctx.addIssue({ code: 'custom', path: ['DEMO_MODE'], message: 'demo mode is refused in production' });
    if (c.WECHAT_APP_SECRET === DEMO_WECHAT_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['WECHAT_APP_SECRET'],
        message: 'placeholder secret refused in production',
      });
    if (!c.WECHAT_BASE_URL.startsWith('https://'))
      ctx.addIssue({ code: 'custom', path: ['WECHAT_BASE_URL'], message: 'must be https in production' });
  });

export type AppConfig = z.infer<typeof schema>;

/** Parse the environment once, at start-up; nothing else reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** DI token; an abstract class so it can be injected by type. */
export abstract class Config {
  static readonly token = 'APP_CONFIG';
}
