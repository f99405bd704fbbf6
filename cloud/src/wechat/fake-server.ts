import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { CERT_TYPE_ID_CARD, FACE_VERIFY_PASS, certHash } from './face-verify';

/**
 * A fake WeChat server for tests and local demo runs. It answers the documented paths with the
 * documented request and response shapes (errcode/errmsg bodies with HTTP 200, as WeChat does),
 * and adds helper endpoints under `/__fake/` that the real WeChat does not have:
 *
 *   POST /__fake/login-code    {openid?, unionid?}       → {code, openid, expires_in}
 *   POST /__fake/face          {openid? | name?, result} → result: verify_ret number | 'pass' | 'fail'
 *   POST /__fake/subscription  {openid, accept}          → accept=false makes sends answer 43101
 *   POST /__fake/expire-tokens                           → every issued access_token now answers 42001
 *   GET  /__fake/messages                                → {messages}: subscribe sends, as received
 *   GET  /__fake/media-checks                            → {checks}: media_check_async requests
 *
 * Codes from /__fake/login-code are single use and expire after 5 minutes, like wx.login codes.
 * Magic js_codes trigger the documented failures: see MAGIC_CODES.
 */

export const MAGIC_CODES = {
  'rate-limited': { errcode: 45011, errmsg: 'api minute-quota reach limit  mustslower  retry next minute' },
  risky: { errcode: 40226, errmsg: 'code blocked' },
  busy: { errcode: -1, errmsg: 'system error' },
} as const;
/** js_code that makes jscode2session answer an HTML error page instead of JSON. */
export const NOT_JSON_CODE = 'not-json';

const CODE_TTL_MS = 5 * 60_000;
const TOKEN_TTL_S = 7200;
const VERIFY_TTL_S = 3600;
/** When a new plain (/cgi-bin/token) token is issued, the previous one lives at most 5 more minutes. */
const OLD_TOKEN_GRACE_MS = 5 * 60_000;
/** A stable token within 5 minutes of expiry is replaced on the next normal-mode request. */
const STABLE_RENEW_AHEAD_MS = 5 * 60_000;
const MAX_BODY = 1 << 20;

export interface StartFakeWechatOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  appId: string;
  appSecret: string;
  /** Injected clock (ms since epoch) for code, token and verify_id expiry. */
  now?: () => number;
  /** Lifetime of issued access tokens; WeChat's is 7200. */
  tokenTtlS?: number;
}

export interface FakeWechat {
  url: string;
  state: FakeWechatState;
  /** Same as POST /__fake/expire-tokens. */
  expireTokens(): void;
  close(): Promise<void>;
}

export interface SentMessage {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string | number }>;
  miniprogram_state?: string;
  lang?: string;
}

export interface MediaCheckRecord {
  trace_id: string;
  media_url: string;
  media_type: number;
  version: number;
  scene: number;
  openid: string;
}

interface IssuedCode {
  openid: string;
  unionid?: string;
  expiresAt: number;
  used: boolean;
}

interface IssuedToken {
  kind: 'plain' | 'stable';
  expiresAt: number;
}

interface VerifySession {
  outSeqNo: string;
  openid: string;
  certHash: string;
  name: string;
  expiresAt: number;
}

export interface FakeWechatState {
  /** Requests to /cgi-bin/token and /cgi-bin/stable_token, answered or refused. */
  tokenRequests: number;
  /** jscode2session requests, answered or refused. */
  sessionRequests: number;
  sentMessages: SentMessage[];
  mediaChecks: MediaCheckRecord[];
  /** verify_ret to answer, by openid or by cert_name; absent means 10000 (pass). */
  faceResults: Map<string, number>;
  /** openids whose subscribe sends answer 43101. */
  refusedOpenids: Set<string>;
  /** Delay before every answer, to exercise client timeouts. */
  latencyMs: number;
  codes: Map<string, IssuedCode>;
  tokens: Map<string, IssuedToken>;
  verifySessions: Map<string, VerifySession>;
  usedOutSeqNos: Set<string>;
}

type Json = Record<string, unknown>;
type Reply = { status?: number; body: Json | string };

const ok = (extra: Json = {}): Reply => ({ body: { errcode: 0, errmsg: 'ok', ...extra } });
const fail = (errcode: number, errmsg: string): Reply => ({ body: { errcode, errmsg } });
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const randomId = (bytes: number): string => randomBytes(bytes).toString('base64url');
const OPENID = /^[A-Za-z0-9_-]{6,64}$/;
const OUT_SEQ_NO = /^[A-Za-z0-9_-]{5,32}$/;

/** Documented value limits of subscribe-message fields, by the key's type prefix. */
const FIELD_RULES: Array<[RegExp, (v: string) => boolean]> = [
  [/^thing\d+$/, (v) => [...v].length <= 20],
  [/^number\d+$/, (v) => /^\d{1,32}(\.\d+)?$/.test(v)],
  [/^letter\d+$/, (v) => /^[A-Za-z]{1,32}$/.test(v)],
  [/^symbol\d+$/, (v) => [...v].length <= 5 && !/[\p{L}\p{N}]/u.test(v)],
  [/^character_string\d+$/, (v) => /^[\x21-\x7e]{1,32}$/.test(v)],
  [/^phone_number\d+$/, (v) => /^[0-9+\-() ]{1,17}$/.test(v)],
  [/^car_number\d+$/, (v) => [...v].length <= 8],
  [/^name\d+$/, (v) => ([...v].some((c) => /\p{Script=Han}/u.test(c)) ? [...v].length <= 10 : v.length <= 20)],
  [/^phrase\d+$/, (v) => /^\p{Script=Han}{1,5}$/u.test(v)],
  [/^amount\d+$/, (v) => /^\D?\d{1,10}(\.\d+)?元?$/.test(v)],
];

export async function startFakeWechat(options: StartFakeWechatOptions): Promise<FakeWechat> {
  const now = options.now ?? Date.now;
  const tokenTtlS = options.tokenTtlS ?? TOKEN_TTL_S;
  const state: FakeWechatState = {
    tokenRequests: 0,
    sessionRequests: 0,
    sentMessages: [],
    mediaChecks: [],
    faceResults: new Map(),
    refusedOpenids: new Set(),
    latencyMs: 0,
    codes: new Map(),
    tokens: new Map(),
    verifySessions: new Map(),
    usedOutSeqNos: new Set(),
  };

  const expireTokens = (): void => {
    for (const t of state.tokens.values()) t.expiresAt = Math.min(t.expiresAt, now());
  };

  const checkApp = (appid: unknown, secret: unknown): Reply | null => {
    if (appid !== options.appId) return fail(40013, 'invalid appid');
    if (secret !== options.appSecret) return fail(40125, 'invalid appsecret');
    return null;
  };

  const issueToken = (kind: IssuedToken['kind']): Reply => {
    const value = randomId(48);
    state.tokens.set(value, { kind, expiresAt: now() + tokenTtlS * 1000 });
    return { body: { access_token: value, expires_in: tokenTtlS } };
  };

  const checkToken = (token: string | null): Reply | null => {
    if (!token) return fail(41001, 'access_token missing');
    const t = state.tokens.get(token);
    if (!t) return fail(40001, 'invalid credential, access_token is invalid or not latest');
    if (t.expiresAt <= now()) return fail(42001, 'access_token expired');
    return null;
  };

  const routes: Record<string, (q: URLSearchParams, body: Json) => Reply> = {
    'GET /sns/jscode2session': (q) => {
      state.sessionRequests++;
      const refused = checkApp(q.get('appid'), q.get('secret'));
      if (refused) return refused;
      if (q.get('grant_type') !== 'authorization_code') return fail(40002, 'invalid grant_type');
      const code = q.get('js_code');
      if (!code) return fail(41008, 'missing code');
      if (code in MAGIC_CODES) return { body: { ...MAGIC_CODES[code as keyof typeof MAGIC_CODES] } };
      if (code === NOT_JSON_CODE) return { body: '<html><body>502 Bad Gateway</body></html>' };
      const issued = state.codes.get(code);
      if (!issued || issued.expiresAt <= now()) return fail(40029, 'invalid code');
      if (issued.used) return fail(40163, 'code been used');
      issued.used = true;
      const body: Json = { openid: issued.openid, session_key: randomBytes(16).toString('base64') };
      if (issued.unionid) body.unionid = issued.unionid;
      return ok(body);
    },

    'GET /cgi-bin/token': (q) => {
      state.tokenRequests++;
      if (q.get('grant_type') !== 'client_credential') return fail(40002, 'invalid grant_type');
      const refused = checkApp(q.get('appid'), q.get('secret'));
      if (refused) return refused;
      for (const t of state.tokens.values())
        if (t.kind === 'plain') t.expiresAt = Math.min(t.expiresAt, now() + OLD_TOKEN_GRACE_MS);
      return issueToken('plain');
    },

    'POST /cgi-bin/stable_token': (_q, b) => {
      state.tokenRequests++;
      if (b.grant_type !== 'client_credential') return fail(40002, 'invalid grant_type');
      const refused = checkApp(b.appid, b.secret);
      if (refused) return refused;
      const stable = [...state.tokens.entries()].filter(([, t]) => t.kind === 'stable');
      if (b.force_refresh === true) {
        for (const [, t] of stable) t.expiresAt = Math.min(t.expiresAt, now());
        return issueToken('stable');
      }
      const current = stable.find(([, t]) => t.expiresAt - now() > STABLE_RENEW_AHEAD_MS);
      if (!current) return issueToken('stable');
      return { body: { access_token: current[0], expires_in: Math.floor((current[1].expiresAt - now()) / 1000) } };
    },

    'POST /cityservice/face/identify/getverifyid': (q, b) => {
      const refused = checkToken(q.get('access_token'));
      if (refused) return refused;
      const cert = b.cert_info;
      if (!nonEmpty(b.openid) || !OPENID.test(b.openid)) return fail(40003, 'invalid openid');
      if (!nonEmpty(b.out_seq_no) || !OUT_SEQ_NO.test(b.out_seq_no)) return fail(47003, 'argument invalid! out_seq_no');
      if (state.usedOutSeqNos.has(b.out_seq_no)) return fail(47003, 'argument invalid! out_seq_no duplicated');
      if (!isObj(cert) || cert.cert_type !== CERT_TYPE_ID_CARD || !nonEmpty(cert.cert_name) || !nonEmpty(cert.cert_no))
        return fail(47003, 'argument invalid! cert_info');
      state.usedOutSeqNos.add(b.out_seq_no);
      const verifyId = randomId(32);
      state.verifySessions.set(verifyId, {
        outSeqNo: b.out_seq_no,
        openid: b.openid,
        name: cert.cert_name,
        certHash: certHash({ name: cert.cert_name, idNumber: cert.cert_no }),
        expiresAt: now() + VERIFY_TTL_S * 1000,
      });
      return ok({ verify_id: verifyId, expires_in: VERIFY_TTL_S });
    },

    'POST /cityservice/face/identify/queryverifyinfo': (q, b) => {
      const refused = checkToken(q.get('access_token'));
      if (refused) return refused;
      const session = nonEmpty(b.verify_id) ? state.verifySessions.get(b.verify_id) : undefined;
      if (!session || session.expiresAt <= now()) return fail(47003, 'argument invalid! verify_id');
      if (b.out_seq_no !== session.outSeqNo) return fail(47003, 'argument invalid! out_seq_no mismatch');
      if (b.openid !== session.openid) return fail(47003, 'argument invalid! openid mismatch');
      if (b.cert_hash !== session.certHash) return fail(47003, 'argument invalid! cert_hash mismatch');
      const ret = state.faceResults.get(session.openid) ?? state.faceResults.get(session.name) ?? FACE_VERIFY_PASS;
      return ok({ verify_ret: ret });
    },

    'POST /cgi-bin/message/subscribe/send': (q, b) => {
      const refused = checkToken(q.get('access_token'));
      if (refused) return refused;
      if (!nonEmpty(b.touser) || !OPENID.test(b.touser)) return fail(40003, 'invalid openid');
      if (!nonEmpty(b.template_id)) return fail(40037, 'invalid template_id');
      if (b.page !== undefined && typeof b.page !== 'string') return fail(41030, 'invalid page');
      if (b.miniprogram_state !== undefined && !['developer', 'trial', 'formal'].includes(String(b.miniprogram_state)))
        return fail(47003, 'argument invalid! miniprogram_state');
      if (!isObj(b.data) || Object.keys(b.data).length === 0) return fail(47003, 'argument invalid! data');
      for (const [key, field] of Object.entries(b.data)) {
        const value = isObj(field) ? field.value : undefined;
        if ((typeof value !== 'string' && typeof value !== 'number') || String(value) === '')
          return fail(47003, `argument invalid! data.${key}.value is empty`);
        const rule = FIELD_RULES.find(([prefix]) => prefix.test(key));
        if (rule && !rule[1](String(value))) return fail(47003, `argument invalid! data.${key}.value invalid`);
      }
      if (state.refusedOpenids.has(b.touser)) return fail(43101, 'user refuse to accept the msg');
      state.sentMessages.push(structuredClone(b) as unknown as SentMessage);
      return ok();
    },

    'POST /wxa/media_check_async': (q, b) => {
      const refused = checkToken(q.get('access_token'));
      if (refused) return refused;
      if (!nonEmpty(b.media_url) || !/^https?:\/\//.test(b.media_url))
        return fail(47003, 'argument invalid! media_url');
      if (b.media_type !== 1 && b.media_type !== 2) return fail(47003, 'argument invalid! media_type');
      if (b.version !== 2) return fail(47003, 'argument invalid! version');
      if (typeof b.scene !== 'number' || ![1, 2, 3, 4].includes(b.scene)) return fail(47003, 'argument invalid! scene');
      if (!nonEmpty(b.openid) || !OPENID.test(b.openid)) return fail(40003, 'invalid openid');
      const traceId = [4, 4, 4].map((n) => randomBytes(n).toString('hex')).join('-');
      state.mediaChecks.push({
        trace_id: traceId,
        media_url: b.media_url,
        media_type: b.media_type,
        version: b.version,
        scene: b.scene,
        openid: b.openid,
      });
      return ok({ trace_id: traceId });
    },

    'POST /__fake/login-code': (_q, b) => {
      const openid = nonEmpty(b.openid) ? b.openid : `o${randomId(20)}`;
      const code = randomBytes(16).toString('hex');
      const issued: IssuedCode = { openid, expiresAt: now() + CODE_TTL_MS, used: false };
      if (nonEmpty(b.unionid)) issued.unionid = b.unionid;
      for (const [c, i] of state.codes) if (i.expiresAt <= now()) state.codes.delete(c);
      state.codes.set(code, issued);
      return { body: { code, openid, expires_in: CODE_TTL_MS / 1000 } };
    },

    'POST /__fake/face': (_q, b) => {
      const key = nonEmpty(b.openid) ? b.openid : nonEmpty(b.name) ? b.name : null;
      const ret = b.result === 'pass' ? FACE_VERIFY_PASS : b.result === 'fail' ? 10004 : b.result;
      if (!key || typeof ret !== 'number') return { status: 400, body: { error: 'need {openid | name, result}' } };
      if (ret === FACE_VERIFY_PASS) state.faceResults.delete(key);
      else state.faceResults.set(key, ret);
      return { body: { key, verify_ret: ret } };
    },

    'POST /__fake/subscription': (_q, b) => {
      if (!nonEmpty(b.openid) || typeof b.accept !== 'boolean')
        return { status: 400, body: { error: 'need {openid, accept}' } };
      if (b.accept) state.refusedOpenids.delete(b.openid);
      else state.refusedOpenids.add(b.openid);
      return { body: { openid: b.openid, accept: b.accept } };
    },

    'POST /__fake/expire-tokens': () => {
      expireTokens();
      return { body: { expired: state.tokens.size } };
    },

    'GET /__fake/messages': () => ({ body: { messages: state.sentMessages } }),
    'GET /__fake/media-checks': () => ({ body: { checks: state.mediaChecks } }),
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const helper = url.pathname.startsWith('/__fake/');
    const send = (reply: Reply): void => {
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      const headers: Record<string, string> = {
        'content-type': typeof reply.body === 'string' ? 'text/html' : 'application/json; charset=utf-8',
      };
      // The demo's H5 build calls the helper endpoints straight from the browser.
      if (helper) headers['access-control-allow-origin'] = '*';
      const write = (): void => {
        res.writeHead(reply.status ?? 200, headers).end(text);
      };
      if (state.latencyMs > 0) setTimeout(write, state.latencyMs);
      else write();
    };

    if (helper && req.method === 'OPTIONS') {
      res
        .writeHead(204, {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': 'content-type',
        })
        .end();
      return;
    }
    const route = routes[`${req.method} ${url.pathname}`];
    if (!route) {
      send({ status: 404, body: { errcode: 40066, errmsg: 'invalid url' } });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      let body: Json = {};
      if (req.method === 'POST' && size > 0) {
        let parsed: unknown;
        try {
          parsed = size > MAX_BODY ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          parsed = undefined;
        }
        if (!isObj(parsed)) {
          send(fail(47001, 'data format error'));
          return;
        }
        body = parsed;
      }
      send(route(url.searchParams, body));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}`,
    state,
    expireTokens,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        // fetch keeps connections alive; without this close() waits for them to idle out.
        server.closeAllConnections();
      }),
  };
}
