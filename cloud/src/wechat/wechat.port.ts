/**
 * The WeChat mini-program server API, as the rest of the API sees it. An abstract class so it is
 * its own DI token: production binds `HttpWechatApi`, tests bind a typed fake or point
 * `HttpWechatApi` at the fake server (`startFakeWechat`).
 *
 * Every method throws `AppError` with a `WECHAT_*` (or `FACE_VERIFY_FAILED` / `VALIDATION_FAILED`)
 * code whose message tells the person what to do next.
 */
export abstract class WechatApi {
  /**
   * `GET /sns/jscode2session`: exchanges a `wx.login` code (single use, valid 5 minutes).
   *
   * `sessionKey` must never leave the server: never return it in a response, never log it, never
   * put it in an error. Use it at once (e.g. to decrypt `wx.getUserProfile` data) and drop it, or
   * keep it only encrypted at rest.
   */
  abstract code2Session(code: string): Promise<WechatSession>;

  /**
   * 人脸核身 step 1, `POST /cityservice/face/identify/getverifyid`. The caller hands `verifyId` to
   * the mini program (`wx.requestFacialVerify`) and keeps `outSeqNo` with its verification record:
   * `queryVerifyInfo` must send the same `outSeqNo`, `openid` and the `certHash` of the same name
   * and ID number (recompute it with `certHash()` from the encrypted ID number, or store it as
   * carefully as the ID number itself: it is an unkeyed hash of a small space).
   */
  abstract getVerifyId(args: GetVerifyIdArgs): Promise<FaceVerifySession>;

  /**
   * 人脸核身 step 3, `POST /cityservice/face/identify/queryverifyinfo`. `passed` is true only when
   * WeChat answered errcode 0 and verify_ret 10000; a finished-but-failed check comes back as
   * `passed: false` with its `verifyRet` (see `faceVerifyAdvice`). An errcode (mismatched
   * out_seq_no, cert_hash or openid, expired verify_id) throws `FACE_VERIFY_FAILED`.
   */
  abstract queryVerifyInfo(args: QueryVerifyInfoArgs): Promise<FaceVerifyResult>;

  /**
   * `POST /cgi-bin/message/subscribe/send`. A user who refused or cancelled the subscription
   * (errcode 43101) is an expected outcome, not a failure: it returns `{ delivered: false }` so a
   * notification job records it and does not retry.
   */
  abstract sendSubscribeMessage(message: SubscribeMessage): Promise<SubscribeSendResult>;

  /**
   * `POST /wxa/media_check_async` (version 2). The verdict arrives later, pushed to the message
   * server and matched by `traceId`.
   */
  abstract mediaCheckAsync(args: MediaCheckArgs): Promise<{ traceId: string }>;
}

export interface WechatSession {
  openid: string;
  /** Present only when the mini program is bound to a WeChat Open Platform account. */
  unionid?: string;
  /** Server-only secret: see `WechatApi.code2Session`. */
  sessionKey: string;
}

export interface GetVerifyIdArgs {
  openid: string;
  /** 证件姓名 */
  name: string;
  /** 居民身份证号; sensitive personal information, never logged. */
  idNumber: string;
  /** 5–32 of `[A-Za-z0-9_-]`, unique per app; generated when omitted. */
  outSeqNo?: string;
}

export interface FaceVerifySession {
  verifyId: string;
  outSeqNo: string;
  /** Seconds until `verifyId` can no longer start a check (WeChat's default is 3600). */
  expiresIn: number;
}

export interface QueryVerifyInfoArgs {
  verifyId: string;
  openid: string;
  outSeqNo: string;
  /** `certHash({ name, idNumber })` of the identity sent to `getVerifyId`. */
  certHash: string;
}

export interface FaceVerifyResult {
  passed: boolean;
  /** WeChat's verify_ret: 10000 is a pass; 9xxxx are client-side failures; 1000x mismatches. */
  verifyRet: number;
}

/** One template field: `{ thing1: { value: '信用修复申请' } }`. */
export type SubscribeData = Record<string, { value: string }>;

export interface SubscribeMessage {
  /** The recipient's openid. */
  touser: string;
  templateId: string;
  /** Mini-program page opened from the card, e.g. `pages/repair/detail?id=42`. */
  page?: string;
  data: SubscribeData;
  /** Which build the card opens; WeChat's default is `formal`. */
  miniprogramState?: 'developer' | 'trial' | 'formal';
}

export type SubscribeSendResult = { delivered: true } | { delivered: false; reason: 'user-refused' };

/** Scene values of media_check_async v2: 1 资料, 2 评论, 3 论坛, 4 社交日志. */
export type MediaCheckScene = 'profile' | 'comment' | 'forum' | 'social-log';

export interface MediaCheckArgs {
  /** A URL WeChat's checker can download. */
  mediaUrl: string;
  mediaType: 'audio' | 'image';
  /** The uploader; WeChat requires that they opened the mini program within the last 2 hours. */
  openid: string;
  scene: MediaCheckScene;
}
