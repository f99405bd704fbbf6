import path from 'node:path';
import { z } from 'zod';

/** Repository root: cloud/dist/config or cloud/src/config → ../../.. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

const PLACEHOLDER = 'dev-only-not-secret';
const hexKey = z.string().regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters (32 bytes)');

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('127.0.0.1'),
    DATABASE_URL: z.string().url().optional(),
    PGLITE_DIR: z.string().default(path.join(REPO_ROOT, 'data', 'pglite')),
    REDIS_URL: z.string().url().optional(),
    /** BullMQ key prefix: lets several deployments (or test runs) share one Redis. */
    QUEUE_PREFIX: z.string().regex(/^[\w-]+$/).default('heihe'),
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
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV !== 'production') return;
    if (c.JWT_SECRET.includes(PLACEHOLDER))
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'placeholder secret refused in production' });
    for (const k of ['PII_ENCRYPTION_KEY', 'PII_HASH_KEY'] as const)
      if (/^0{63}[0-9]$/.test(c[k]))
        ctx.addIssue({ code: 'custom', path: [k], message: 'placeholder key refused in production' });
    if (c.DEMO_MODE) ctx.addIssue({ code: 'custom', path: ['DEMO_MODE'], message: 'demo mode is refused in production' });
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
