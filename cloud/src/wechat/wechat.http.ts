import { randomUUID } from 'node:crypto';
import { ErrorCodes } from '@heihe/shared';
import { CERT_TYPE_ID_CARD, FACE_VERIFY_PASS } from './face-verify';
import {
  MSG,
  TOKEN_REJECTED,
  WechatError,
  code2SessionError,
  commonError,
  queryVerifyInfoError,
  subscribeSendError,
} from './wechat.errors';
import {
  WechatApi,
  type FaceVerifyResult,
  type FaceVerifySession,
  type GetVerifyIdArgs,
  type MediaCheckArgs,
  type MediaCheckScene,
  type QueryVerifyInfoArgs,
  type SubscribeMessage,
  type SubscribeSendResult,
  type WechatSession,
} from './wechat.port';

export interface HttpWechatApiOptions {
  /** `https://api.weixin.qq.com` in production; the fake server's URL in tests and demo mode. */
  baseUrl: string;
  appId: string;
  appSecret: string;
  timeoutMs: number;
  /** Injected clock (ms since epoch) for token expiry. */
  now?: () => number;
}

type Json = Record<string, unknown>;

const SCENE: Record<MediaCheckScene, number> = { profile: 1, comment: 2, forum: 3, 'social-log': 4 };
const OUT_SEQ_NO = /^[A-Za-z0-9_-]{5,32}$/;
/** WeChat hands out a fresh stable token in the last 5 minutes; refresh no later than that. */
const REFRESH_AHEAD_S = 300;

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const errcodeOf = (body: Json): number => (typeof body.errcode === 'number' ? body.errcode : 0);
const malformed = (): WechatError => new WechatError(ErrorCodes.WECHAT_UNAVAILABLE, MSG.unavailable);

/**
 * WeChat over HTTP with Node's global fetch.
 *
 * The access token comes from `POST /cgi-bin/stable_token` (isolated from `/cgi-bin/token`, so
 * another service of the same app fetching a token cannot invalidate ours). It is cached, refreshed
 * before it expires, fetched by one request at a time however many callers wait, and fetched
 * again once when WeChat rejects it (40001/40014/42001).
 *
 * The secret travels only in the jscode2session query string and the stable_token body; neither
 * the URL nor any upstream error object is ever attached to what this class throws.
 */
export class HttpWechatApi extends WechatApi {
  private readonly baseUrl: string;
  private readonly appId: string;
  private readonly appSecret: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private token: { value: string; refreshAt: number } | null = null;
  private inflight: Promise<string> | null = null;

  constructor(options: HttpWechatApiOptions) {
    super();
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.appId = options.appId;
    this.appSecret = options.appSecret;
    this.timeoutMs = options.timeoutMs;
    this.now = options.now ?? Date.now;
  }

  override async code2Session(code: string): Promise<WechatSession> {
    if (!str(code)) throw new WechatError(ErrorCodes.WECHAT_INVALID_CODE, MSG.invalidCode);
    const body = await this.request('GET', '/sns/jscode2session', {
      appid: this.appId,
      secret: this.appSecret,
      js_code: code,
      grant_type: 'authorization_code',
    });
    const errcode = errcodeOf(body);
    if (errcode !== 0) throw code2SessionError(errcode);
    if (!str(body.openid) || !str(body.session_key)) throw malformed();
    const session: WechatSession = { openid: body.openid, sessionKey: body.session_key };
    if (str(body.unionid)) session.unionid = body.unionid;
    return session;
  }

  override async getVerifyId(args: GetVerifyIdArgs): Promise<FaceVerifySession> {
    const outSeqNo = args.outSeqNo ?? randomUUID().replace(/-/g, '');
    if (!OUT_SEQ_NO.test(outSeqNo))
      throw new WechatError(ErrorCodes.VALIDATION_FAILED, '核身流水号须为 5–32 位字母、数字、下划线或连字符');
    const body = await this.withToken('/cityservice/face/identify/getverifyid', {
      out_seq_no: outSeqNo,
      cert_info: { cert_type: CERT_TYPE_ID_CARD, cert_name: args.name, cert_no: args.idNumber },
      openid: args.openid,
    });
    const errcode = errcodeOf(body);
    if (errcode !== 0) throw commonError(errcode);
    if (!str(body.verify_id)) throw malformed();
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    return { verifyId: body.verify_id, outSeqNo, expiresIn };
  }

  override async queryVerifyInfo(args: QueryVerifyInfoArgs): Promise<FaceVerifyResult> {
    const body = await this.withToken('/cityservice/face/identify/queryverifyinfo', {
      verify_id: args.verifyId,
      out_seq_no: args.outSeqNo,
      cert_hash: args.certHash,
      openid: args.openid,
    });
    const errcode = errcodeOf(body);
    if (errcode !== 0) throw queryVerifyInfoError(errcode);
    if (typeof body.verify_ret !== 'number') throw malformed();
    return { passed: body.verify_ret === FACE_VERIFY_PASS, verifyRet: body.verify_ret };
  }

  override async sendSubscribeMessage(message: SubscribeMessage): Promise<SubscribeSendResult> {
    const payload: Json = { touser: message.touser, template_id: message.templateId, data: message.data };
    if (message.page !== undefined) payload.page = message.page;
    if (message.miniprogramState !== undefined) payload.miniprogram_state = message.miniprogramState;
    const body = await this.withToken('/cgi-bin/message/subscribe/send', payload);
    const errcode = errcodeOf(body);
    if (errcode === 43101) return { delivered: false, reason: 'user-refused' };
    if (errcode !== 0) throw subscribeSendError(errcode);
    return { delivered: true };
  }

  override async mediaCheckAsync(args: MediaCheckArgs): Promise<{ traceId: string }> {
    const body = await this.withToken('/wxa/media_check_async', {
      media_url: args.mediaUrl,
      media_type: args.mediaType === 'audio' ? 1 : 2,
      version: 2,
      scene: SCENE[args.scene],
      openid: args.openid,
    });
    const errcode = errcodeOf(body);
    if (errcode !== 0) throw commonError(errcode);
    if (!str(body.trace_id)) throw malformed();
    return { traceId: body.trace_id };
  }

  /** POSTs with the cached access token; a rejected token is dropped and the call made once more. */
  private async withToken(path: string, payload: Json): Promise<Json> {
    let body: Json = {};
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await this.accessToken();
      body = await this.request('POST', path, { access_token: token }, payload);
      if (!TOKEN_REJECTED.has(errcodeOf(body))) return body;
      if (this.token?.value === token) this.token = null;
    }
    return body;
  }

  private accessToken(): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return Promise.resolve(this.token.value);
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async fetchToken(): Promise<string> {
    const body = await this.request(
      'POST',
      '/cgi-bin/stable_token',
      {},
      { grant_type: 'client_credential', appid: this.appId, secret: this.appSecret },
    );
    const errcode = errcodeOf(body);
    if (errcode !== 0) throw commonError(errcode);
    if (!str(body.access_token) || typeof body.expires_in !== 'number') throw malformed();
    const lifeS = Math.max(body.expires_in - REFRESH_AHEAD_S, body.expires_in / 2);
    this.token = { value: body.access_token, refreshAt: this.now() + lifeS * 1000 };
    return body.access_token;
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    query: Record<string, string>,
    payload?: Json,
  ): Promise<Json> {
    const url = `${this.baseUrl}${path}${Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''}`;
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method,
        headers: payload ? { 'content-type': 'application/json' } : undefined,
        body: payload ? JSON.stringify(payload) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch {
      // Deliberately drops the cause: fetch errors can carry the URL, and the URL can carry the secret.
      throw new WechatError(ErrorCodes.WECHAT_UNAVAILABLE, MSG.unreachable);
    }
    if (!res.ok) throw malformed();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw malformed();
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw malformed();
    return body as Json;
  }
}
