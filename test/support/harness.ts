import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';
import crypto from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { checkIdNumber } from '@heihe/shared';
import {
  createApiClient,
  createStaffAccount,
  type ApiClientKind,
  type StaffRole,
  base32Decode,
  totp,
} from '../../cloud/src/auth';
import { SecretBox } from '../../cloud/src/common/secret-box';
import { bootstrap } from '../../cloud/src/bootstrap';
import type { AppConfig } from '../../cloud/src/config/config';
import type { Database } from '../../cloud/src/db/database';
import { DEMO_ENTERPRISES, seedDemoEnterprises, type DemoEnterprise } from '../../cloud/src/seed/demo-identities';
import { PiiVault } from '../../cloud/src/pii';
import { testConfig } from '../../cloud/src/testing/config';
import { createTestDatabase, type Backend, type TestDatabase } from '../../cloud/src/testing/test-db';
import { startFakeWechat, type FakeWechat } from '../../cloud/src/wechat';

/**
 * The e2e harness: a fake WeChat on a random port, an isolated database, the app assembled by the
 * same bootstrap() as production and listening on a random port, the two demo enterprises with
 * known legal representatives, and helpers to act as each kind of caller.
 *
 * Every response body that passes through `http` is kept, and `close()` fails the suite if any of
 * them holds a full ID number or a WeChat session_key: each suite that uses the harness is
 * scanned, with no opt-in.
 */

const APP_ID = 'wx-e2e-harness';
const APP_SECRET = 'e2e-harness-app-secret';

export type Auth = { accessToken: string } | { apiKey: string } | null;

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  text: string;
}

export interface RequestOptions {
  auth?: Auth;
  body?: unknown;
  headers?: Record<string, string>;
}

export type SeededEnterprise = DemoEnterprise & { entityId: number };

export interface EnterpriseUser {
  userId: number;
  openid: string;
  accessToken: string;
  refreshToken: string;
  auth: { accessToken: string };
  /** The enterprise the user verified as the legal representative of, when `verify` was on. */
  enterprise: SeededEnterprise | null;
}

export interface StaffSession {
  staffId: number;
  username: string;
  role: StaffRole;
  password: string;
  totpSecret: string;
  accessToken: string;
  refreshToken: string;
  auth: { accessToken: string };
}

export interface ApiClientHandle {
  id: number;
  apiKey: string;
  scopes: string[];
  auth: { apiKey: string };
}

export interface SignInOptions {
  /** Index into `enterprises`, or one of them; default 0. */
  enterprise?: 0 | 1 | SeededEnterprise;
  openid?: string;
  /** Accept the privacy terms (default true). */
  consent?: boolean;
  /** Verify as the enterprise's legal representative and bind it (default true; needs consent). */
  verify?: boolean;
}

const ID_LIKE = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const SESSION_KEY = /session_?key/i;

export interface Leak {
  where: string;
  what: string;
}

/** Full ID numbers (known ones, and anything that passes the GB 11643 check) and session keys. */
export function findLeaks(text: string, known: Iterable<string>, where: string): Leak[] {
  const leaks: Leak[] = [];
  for (const id of known) if (text.includes(id)) leaks.push({ where, what: `known ID number ${id.slice(0, 4)}…` });
  for (const m of text.matchAll(ID_LIKE))
    if (checkIdNumber(m[0]).ok) leaks.push({ where, what: `ID-like ${m[0].slice(0, 4)}…` });
  if (SESSION_KEY.test(text)) leaks.push({ where, what: 'session_key' });
  return leaks;
}

export class Harness {
  /** Every response seen: `${method} ${path} → status` and its body text. */
  readonly responses: Array<{ request: string; status: number; text: string }> = [];
  /** ID numbers that must never appear in a response; tests add the ones they make up. */
  readonly sensitive = new Set<string>(DEMO_ENTERPRISES.map((e) => e.legalRep.idNumber));
  private seq = 0;

  private constructor(
    readonly backend: Backend,
    readonly t: TestDatabase,
    readonly fake: FakeWechat,
    readonly config: AppConfig,
    readonly app: NestExpressApplication,
    /** `http://127.0.0.1:<port>/api` */
    readonly baseUrl: string,
    readonly vault: PiiVault,
    readonly enterprises: [SeededEnterprise, SeededEnterprise],
  ) {}

  /** `env` overrides the test config, e.g. `{ FACE_VERIFY_ENABLED: 'false' }`. */
  static async start(backend: Backend, opts: { env?: Record<string, string> } = {}): Promise<Harness> {
    const fake = await startFakeWechat({ appId: APP_ID, appSecret: APP_SECRET });
    const t = await createTestDatabase(backend);
    try {
      const config = testConfig({
        WECHAT_BASE_URL: fake.url,
        WECHAT_APP_ID: APP_ID,
        WECHAT_APP_SECRET: APP_SECRET,
        // Deterministic by default: a suite that tests delivery turns the relay on, or drives it itself.
        OUTBOX_RELAY_ENABLED: 'false',
        EVIDENCE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-evidence-')),
        REPORT_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-reports-')),
        ...opts.env,
      });
      const vault = new PiiVault(config.PII_ENCRYPTION_KEY, config.PII_HASH_KEY);
      const seeded = await seedDemoEnterprises(t.db, vault);
      const app = await bootstrap(config, t.db, { logger: false });
      await app.listen(0, '127.0.0.1');
      const baseUrl = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api`;
      return new Harness(backend, t, fake, config, app, baseUrl, vault, [seeded[0]!, seeded[1]!]);
    } catch (e) {
      await fake.close();
      await t.drop();
      throw e;
    }
  }

  get db(): Database {
    return this.t.db;
  }

  /** fetch against the API; the response body is recorded for the leak scan. */
  async http<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.auth && 'accessToken' in opts.auth) headers.authorization = `Bearer ${opts.auth.accessToken}`;
    if (opts.auth && 'apiKey' in opts.auth) headers['x-api-key'] = opts.auth.apiKey;
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const text = await res.text();
    this.responses.push({ request: `${method} ${path}`, status: res.status, text });
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: body as T, text };
  }

  get<T = unknown>(path: string, auth?: Auth): Promise<HttpResult<T>> {
    return this.http<T>('GET', path, { auth });
  }

  post<T = unknown>(path: string, body?: unknown, auth?: Auth): Promise<HttpResult<T>> {
    return this.http<T>('POST', path, { auth, body: body ?? {} });
  }

  /**
   * Starts a scoring cycle (`runScoringCycle`) and, when the start succeeded (2xx), waits until the
   * cycle is done: it throws after `timeoutMs`. Returns the start's response for the caller to check.
   */
  async runCycle(auth: Auth, timeoutMs = 120_000): Promise<HttpResult<{ id: number }>> {
    const started = await this.post<{ id: number }>('/scoring/cycles', {}, auth);
    if (started.status < 200 || started.status >= 300) return started;
    const end = Date.now() + timeoutMs;
    for (;;) {
      const c = await this.get<{ status: string }>(`/scoring/cycles/${started.body.id}`, auth);
      if (c.body.status === 'done') return started;
      if (Date.now() > end) throw new Error(`cycle ${started.body.id} not done after ${timeoutMs} ms: ${c.text}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** A one-time wx.login code from the fake WeChat, as the H5 demo gets it. */
  async loginCode(openid: string): Promise<string> {
    const res = await fetch(`${this.fake.url}/__fake/login-code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid }),
    });
    return ((await res.json()) as { code: string }).code;
  }

  newOpenid(): string {
    return `o-e2e-${++this.seq}-${crypto.randomBytes(6).toString('hex')}`;
  }

  enterprise(which: SignInOptions['enterprise'] = 0): SeededEnterprise {
    return typeof which === 'number' ? this.enterprises[which] : which;
  }

  /** The three elements of an enterprise's legal representative, with optional overrides. */
  elements(
    which: SignInOptions['enterprise'] = 0,
    overrides: Partial<{ uscc: string; name: string; idNumber: string }> = {},
  ) {
    const e = this.enterprise(which);
    return { uscc: e.uscc, name: e.legalRep.name, idNumber: e.legalRep.idNumber, ...overrides };
  }

  /**
   * Signs in through the fake WeChat, accepts the privacy terms and verifies as the legal
   * representative of the enterprise (三要素, then 人脸核身 unless the config turned it off).
   */
  async signInAsEnterpriseUser(opts: SignInOptions = {}): Promise<EnterpriseUser> {
    const openid = opts.openid ?? this.newOpenid();
    const login = await this.post<{ accessToken: string; refreshToken: string; user: { id: number } }>(
      '/auth/wechat/login',
      {
        code: await this.loginCode(openid),
      },
    );
    expectStatus(login, 200, 'loginWithWechat');
    const auth = { accessToken: login.body.accessToken };
    if (opts.consent ?? true)
      expectStatus(
        await this.post('/me/privacy-consent', { version: this.config.PRIVACY_POLICY_VERSION }, auth),
        200,
        'recordPrivacyConsent',
      );
    let enterprise: SeededEnterprise | null = null;
    if ((opts.consent ?? true) && (opts.verify ?? true)) {
      enterprise = this.enterprise(opts.enterprise);
      expectStatus(await this.verify(auth, this.elements(enterprise)), 200, 'verifyIdentity');
    }
    return {
      userId: login.body.user.id,
      openid,
      accessToken: auth.accessToken,
      refreshToken: login.body.refreshToken,
      auth,
      enterprise,
    };
  }

  /** startFaceVerification (when enabled) then verifyIdentity, with the given elements. */
  async verify(
    auth: Auth,
    elements: { uscc: string; name: string; idNumber: string },
  ): Promise<HttpResult<Record<string, unknown>>> {
    let verifyToken: string | undefined;
    if (this.config.FACE_VERIFY_ENABLED) {
      const start = await this.post<{ verifyToken: string }>('/identity/face-verifications', elements, auth);
      if (start.status !== 200) return start as HttpResult<Record<string, unknown>>;
      verifyToken = start.body.verifyToken;
    }
    return this.post('/identity/verifications', { ...elements, verifyToken }, auth);
  }

  /** A fresh staff account of the role (password + TOTP), signed in. */
  async signInAsStaff(role: StaffRole): Promise<StaffSession> {
    const username = `${role}-${++this.seq}-${crypto.randomBytes(3).toString('hex')}`;
    const password = `pw-${crypto.randomBytes(9).toString('base64url')}`;
    const created = await createStaffAccount(this.db, new SecretBox(this.config.TOTP_ENCRYPTION_KEY), {
      username,
      displayName: `测试${role}`,
      role,
      password,
      scrypt: { log2N: 12, r: 8, p: 1 },
    });
    const res = await this.post<{ accessToken: string; refreshToken: string }>('/auth/staff/login', {
      username,
      password,
      totp: this.totpNow(created.totpSecret),
    });
    expectStatus(res, 200, 'loginStaff');
    return {
      staffId: created.id,
      username,
      role,
      password,
      totpSecret: created.totpSecret,
      accessToken: res.body.accessToken,
      refreshToken: res.body.refreshToken,
      auth: { accessToken: res.body.accessToken },
    };
  }

  /** Waits out the last two seconds of a 30-second TOTP step, for tests that count steps. */
  async awayFromStepEdge(): Promise<void> {
    const into = Date.now() % 30_000;
    if (into > 28_000) await new Promise((r) => setTimeout(r, 30_000 - into + 50));
  }

  totpNow(secretB32: string, offsetSteps = 0): string {
    return totp(base32Decode(secretB32), Date.now() + offsetSteps * 30_000);
  }

  /** An API client (department, bank …) with exactly these scopes. */
  async apiClient(
    scopes: string[],
    opts: { name?: string; kind?: ApiClientKind; regionPrefix?: string; industryPrefix?: string } = {},
  ): Promise<ApiClientHandle> {
    const c = await createApiClient(this.db, {
      name: opts.name ?? `测试客户端${++this.seq}`,
      kind: opts.kind ?? 'bank',
      scopes,
      purpose: '测试：核对评价结果的使用',
      legalBasis: '《黑河市公共信用综合评价办法》',
      regionPrefix: opts.regionPrefix ?? null,
      industryPrefix: opts.industryPrefix ?? null,
    });
    return { id: c.id, apiKey: c.apiKey, scopes, auth: { apiKey: c.apiKey } };
  }

  leaks(): Leak[] {
    return this.responses.flatMap((r) => findLeaks(r.text, this.sensitive, `${r.request} → ${r.status}`));
  }

  assertNoLeaks(): void {
    const found = this.leaks();
    if (found.length)
      throw new Error(`personal data in responses:\n${found.map((l) => `  ${l.where}: ${l.what}`).join('\n')}`);
  }

  async close(): Promise<void> {
    try {
      await this.app.close();
      await this.fake.close();
      await this.t.drop();
    } finally {
      this.assertNoLeaks();
    }
  }
}

export function expectStatus(res: HttpResult, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what}: expected HTTP ${status}, got ${res.status}: ${res.text}`);
}

/** The error code of an error response. */
export function codeOf(res: HttpResult): string | undefined {
  return (res.body as { error?: { code?: string } } | null)?.error?.code;
}
