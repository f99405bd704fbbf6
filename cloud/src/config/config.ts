import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

/** Repository root: cloud/dist/config or cloud/src/config → ../../.. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

const PLACEHOLDER = 'dev-only-not-secret';
const DEMO_WECHAT_SECRET = 'demo-only-not-secret';
const hexKey = z.string().regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters (32 bytes)');
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** One WEBHOOK_ALLOWED_HOSTS entry: a host name or address (any port unless given), or a CIDR range. */
export type WebhookAllowEntry = { kind: 'host'; host: string; port: number | null } | { kind: 'cidr'; cidr: string };

/** A host as the WHATWG URL parser writes it (0x7f000001 → 127.0.0.1), without IPv6 brackets. */
function urlHostname(host: string): string | null {
  try {
    return new URL(`http://${ipaddr.IPv6.isValid(host) ? `[${host}]` : host}/`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
}

const webhookAllowlist = z
  .string()
  .default('')
  .transform((spec, ctx) => {
    const out: WebhookAllowEntry[] = [];
    for (const entry of spec
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)) {
      if (entry.includes('/')) {
        if (ipaddr.isValidCIDR(entry)) out.push({ kind: 'cidr', cidr: entry });
        else ctx.addIssue({ code: 'custom', message: `"${entry}" is not a CIDR range` });
        continue;
      }
      const m = ipaddr.IPv6.isValid(entry)
        ? [entry, entry, undefined]
        : (/^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/i.exec(entry) ?? /^([a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(entry));
      const host = m ? urlHostname(m[1]!) : null;
      const port = m?.[2] === undefined ? null : Number(m[2]);
      if (host && (port === null || port <= 65535)) out.push({ kind: 'host', host, port });
      else ctx.addIssue({ code: 'custom', message: `"${entry}" is not host[:port] or a CIDR range` });
    }
    return out;
  });

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
    /**
     * Earlier PII_ENCRYPTION_KEYs, comma-separated: ID numbers sealed with them still open, and
     * `npm run admin -- pii-rekey` reseals them with the current key (ADR 0012).
     */
    PII_ENCRYPTION_KEYS_OLD: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean),
      )
      .pipe(z.array(hexKey)),
    /**
     * HMAC-SHA256 key for ID-number equality lookups. It does not rotate by configuration: every
     * stored hash is made with it (ADR 0012).
     */
    PII_HASH_KEY: hexKey.default('0'.repeat(63) + '2'),
    JWT_SECRET: z.string().min(32).default(`${PLACEHOLDER}-jwt-secret-0123456789`),
    /** Daily cycle time in China Standard Time, HH:MM; 'off' disables the schedule. */
    SCORING_CYCLE_AT: z
      .string()
      .regex(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, "use HH:MM (China time) or 'off'")
      .default('02:00'),
    INGEST_CHUNK_SIZE: z.coerce.number().int().min(1).max(100_000).default(2000),
    /** Groups of buckets a delivery's chunks are cut by (ADR 0024): one per shard; 1 on one node. */
    INGEST_BUCKET_GROUPS: z.coerce.number().int().min(1).max(4096).default(1),
    /** Which database node owns which buckets, name=from-to,… (ADR 0020): one cycle queue per node. */
    CYCLE_NODES: z.string().default('main=0-4095'),
    /**
     * Groups of buckets each node's cycle chunks are cut within (ADR 0020, 0025): 1 on one node;
     * 4096 (one bucket a chunk, every statement routed to one shard) on a distributed database.
     */
    CYCLE_BUCKET_GROUPS: z.coerce.number().int().min(1).max(4096).default(1),
    /**
     * The penetration depth each cycle chunk stores for its entities held by companies, ahead of
     * reads (ADR 0026): the console's default, 10; 0 turns the warming off.
     */
    OWNERSHIP_WARM_DEPTH: z.coerce.number().int().min(0).max(20).default(10),
    /** The node whose chunks this `npm run worker` takes (its DATABASE_URL points there); default the first. */
    CYCLE_NODE: z.string().optional(),

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
    /**
     * A refresh token presented again this soon after it was rotated gets the same successor
     * instead of revoking the family: two refreshes fired together (two tabs, a retried request)
     * must not log the user out. Later reuse still revokes. 0 turns the grace off.
     */
    REFRESH_REUSE_GRACE_S: z.coerce.number().int().min(0).max(60).default(10),
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
    /** How often this process chains new audit rows into audit_seal; 0 runs no sealer here. */
    AUDIT_SEAL_INTERVAL_MS: z.coerce.number().int().min(0).max(600_000).default(1000),

    // ---- Investment checks: red-flag thresholds (shared/src/invest/red-flags.ts) ----
    /** 实缴资本远低于注册资本: paid-in / registered below this ratio. */
    INVEST_FLAG_PAID_IN_RATIO_MIN: z.coerce.number().min(0).max(1).default(0.2),
    /** 股东新近设立: an entity holder established fewer than this many days ago. */
    INVEST_FLAG_YOUNG_HOLDER_DAYS: z.coerce.number().int().min(1).max(36_500).default(730),
    /** 关联方低等级较多: at least this many related entities graded C or lower … */
    INVEST_FLAG_LOW_GRADE_RELATED_MIN: z.coerce.number().int().min(1).max(10_000).default(3),
    /** … or at least this share of the graded related entities. */
    INVEST_FLAG_LOW_GRADE_RELATED_SHARE: z.coerce.number().min(0).max(1).default(0.3),
    /** 融资后无登记变更: an equity round older than this many days with no registered-capital change since. */
    INVEST_FLAG_FINANCING_GRACE_DAYS: z.coerce.number().int().min(0).max(3650).default(90),

    // ---- Enterprise rights: evidence, notifications, outbox ----
    /** Local-disk evidence store (the FileStorage port's default adapter). */
    EVIDENCE_DIR: z.string().default(path.join(REPO_ROOT, 'data', 'evidence')),
    /** Per file, after the phone's own compression; 10 MiB by default. */
    EVIDENCE_MAX_BYTES: z.coerce.number().int().min(1024).max(104_857_600).default(10_485_760),
    /** Per application (an objection, a report, a repair application). */
    EVIDENCE_MAX_FILES: z.coerce.number().int().min(1).max(50).default(10),
    /** Uploaded but not yet attached, per enterprise: a cap on what an abandoned form can leave. */
    EVIDENCE_MAX_UNATTACHED: z.coerce.number().int().min(1).max(1000).default(30),
    /** Days an uploaded file may stay unattached; then its row and its bytes are purged. */
    EVIDENCE_UNATTACHED_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(7),
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
    /**
     * Webhook targets trusted although they are not public https (comma-separated host[:port] or
     * CIDR, e.g. `hook.gov.internal,10.20.0.0/16`): an intranet department, a test receiver. They
     * may use plain http. Every other webhook must be https to public unicast addresses only.
     */
    WEBHOOK_ALLOWED_HOSTS: webhookAllowlist,

    /**
     * The reverse proxies whose X-Forwarded-For the API believes (Express `trust proxy`): a hop
     * count (`1`) or addresses and CIDRs (`loopback`, `10.0.0.0/8,127.0.0.1`). Unset, the client IP
     * is the socket's: behind a proxy every visitor would then share the proxy's address, and the
     * public site's and the report verification's per-IP limits with it.
     */
    TRUST_PROXY: z
      .string()
      .regex(/^(\d{1,2}|[0-9A-Za-z.:/,\s-]+)$/, 'TRUST_PROXY: a hop count, or addresses and CIDRs separated by commas')
      .optional(),

    // ---- The public credit report (公共信用信息报告) ----
    /** Local-disk store of issued report PDFs (the evidence FileStorage adapter, its own folder). */
    REPORT_DIR: z.string().default(path.join(REPO_ROOT, 'data', 'reports')),
    /**
     * The public origin the report's QR code points at (`<origin>/site/verify?no=…&code=…`), e.g.
     * https://credit.heihe.gov.cn. Unset: http://localhost:<PORT>, which only the demo can use.
     */
    PUBLIC_BASE_URL: z.string().url().optional(),
    /** A report is valid this many days from its generation (printed on the cover). */
    REPORT_VALID_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    /** Verifications (by number and code, or by file) per client IP and minute. */
    REPORT_VERIFY_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
    /** The largest PDF accepted for verification by file; issued reports are far smaller. */
    REPORT_VERIFY_MAX_BYTES: z.coerce.number().int().min(1024).max(52_428_800).default(5_242_880),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV !== 'production') return;
    for (const k of placeholderSecrets(c))
      ctx.addIssue({ code: 'custom', path: [k], message: 'placeholder secret refused in production' });
    if (c.DEMO_MODE)
      ctx.addIssue({ code: 'custom', path: ['DEMO_MODE'], message: 'demo mode is refused in production' });
    if (!c.WECHAT_BASE_URL.startsWith('https://'))
      ctx.addIssue({ code: 'custom', path: ['WECHAT_BASE_URL'], message: 'must be https in production' });
    if (!c.DATABASE_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message:
          'required in production (postgres://user:pass@host:5432/db); the embedded PGlite database in PGLITE_DIR is for development and the demo only',
      });
  });

export type AppConfig = z.infer<typeof schema>;

/** Secrets still at the values published in this repository. */
function placeholderSecrets(c: z.infer<typeof schema>): string[] {
  const keys = [
    'PII_ENCRYPTION_KEY',
    'PII_HASH_KEY',
    'TOTP_ENCRYPTION_KEY',
    'EVIDENCE_URL_KEY',
    'WEBHOOK_SECRET_KEY',
  ] as const;
  return [
    ...(c.JWT_SECRET.includes(PLACEHOLDER) ? ['JWT_SECRET'] : []),
    ...keys.filter((k) => /^0{63}[0-9]$/.test(c[k])),
    ...(c.PII_ENCRYPTION_KEYS_OLD.some((k) => /^0{63}[0-9]$/.test(k)) ? ['PII_ENCRYPTION_KEYS_OLD'] : []),
    ...(c.WECHAT_APP_SECRET === DEMO_WECHAT_SECRET ? ['WECHAT_APP_SECRET'] : []),
  ];
}

export interface LoadOptions {
  /**
   * The process serves the outside world: the API (main.ts) and the outbox relay. Such a process
   * with NODE_ENV unset refuses the placeholder secrets unless DEMO_MODE=true says it is the demo
   * (npm start sets it): a forgotten NODE_ENV on a server must not mean tokens signed with a key
   * published in this repository.
   *
   * The CLI tools (seed, cycle, worker, admin, ingest, audit:verify) do not serve: an operator runs
   * them on the host, and with NODE_ENV unset they work with the placeholders as the README shows
   * (e.g. `npm run admin -- totp-now` against the demo database). With NODE_ENV=production every
   * process, tool or server, refuses placeholders and the embedded database.
   */
  serving?: boolean;
}

/** A configuration the process must not start with; its message says what to set. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse the environment once, at start-up; nothing else reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, opts: LoadOptions = {}): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const placeholders = opts.serving && env.NODE_ENV === undefined && !c.DEMO_MODE ? placeholderSecrets(c) : [];
  if (placeholders.length)
    throw new ConfigError(
      [
        `Refusing to start: NODE_ENV is not set and ${placeholders.join(', ')} still have the placeholder values published in this repository.`,
        '  In production: set NODE_ENV=production and real values for them.',
        '  For local development: set NODE_ENV=development.',
        '  For the demo: set DEMO_MODE=true (npm start does).',
      ].join('\n'),
    );
  return c;
}

/** DI token; an abstract class so it can be injected by type. */
export abstract class Config {
  static readonly token = 'APP_CONFIG';
}
