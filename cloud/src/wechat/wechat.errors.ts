import { AppError, ErrorCodes, type ErrorCode } from '@heihe/shared';

/**
 * An AppError that also carries WeChat's errcode for operators. The error filter never renders
 * `errcode`; the message is the only thing a person sees. Nothing from the request (code, secret,
 * session_key, ID number) and nothing from WeChat's errmsg goes into the message.
 */
export class WechatError extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly errcode?: number,
  ) {
    super(code, message);
    this.name = 'WechatError';
  }
}

export const MSG = {
  invalidCode: '登录凭证无效或已过期，请重新进入小程序',
  rateLimited: '操作过于频繁，请等待一分钟后再试',
  riskyUser: '微信判定当前账号存在安全风险，暂时无法登录，请使用本人常用且已实名的微信账号重试',
  busy: '微信服务繁忙，请稍后再试',
  unreachable: '暂时无法连接微信服务，请稍后再试',
  unavailable: '微信服务暂时不可用，请稍后再试；如持续出现，请联系平台管理员',
  faceUnconfirmed: '人脸核身结果无法确认，请重新发起人脸核身',
  badOpenid: '接收人的微信身份无效，订阅消息未发送',
  badTemplate: '订阅消息模板无效，消息未发送，请管理员检查模板配置',
  badData: '订阅消息内容不符合模板要求，消息未发送，请管理员检查模板字段',
  badPage: '订阅消息跳转的页面不存在，消息未发送，请管理员检查页面路径',
} as const;

/** access_token rejected: 40001 invalid, 40014 malformed, 42001 expired. Fetch a new one once. */
export const TOKEN_REJECTED = new Set([40001, 40014, 42001]);

/** Errcodes every endpoint shares. Anything unlisted is a configuration or platform problem. */
export function commonError(errcode: number): WechatError {
  switch (errcode) {
    case -1:
      return new WechatError(ErrorCodes.WECHAT_BUSY, MSG.busy, errcode);
    case 45009:
    case 45011:
      return new WechatError(ErrorCodes.WECHAT_RATE_LIMITED, MSG.rateLimited, errcode);
    default:
      return new WechatError(ErrorCodes.WECHAT_UNAVAILABLE, MSG.unavailable, errcode);
  }
}

export function code2SessionError(errcode: number): WechatError {
  switch (errcode) {
    case 40029:
    case 40163: // code been used
      return new WechatError(ErrorCodes.WECHAT_INVALID_CODE, MSG.invalidCode, errcode);
    case 40226:
      return new WechatError(ErrorCodes.WECHAT_RISKY_USER, MSG.riskyUser, errcode);
    default:
      return commonError(errcode);
  }
}

/** Platform trouble stays WECHAT_*; anything else means this check cannot be trusted. */
export function queryVerifyInfoError(errcode: number): WechatError {
  if ([-1, 41001, 45009, 45011].includes(errcode) || TOKEN_REJECTED.has(errcode)) return commonError(errcode);
  return new WechatError(ErrorCodes.FACE_VERIFY_FAILED, MSG.faceUnconfirmed, errcode);
}

export function subscribeSendError(errcode: number): WechatError {
  switch (errcode) {
    case 40003:
      return new WechatError(ErrorCodes.VALIDATION_FAILED, MSG.badOpenid, errcode);
    case 40037:
      return new WechatError(ErrorCodes.VALIDATION_FAILED, MSG.badTemplate, errcode);
    case 47003:
      return new WechatError(ErrorCodes.VALIDATION_FAILED, MSG.badData, errcode);
    case 41030:
      return new WechatError(ErrorCodes.VALIDATION_FAILED, MSG.badPage, errcode);
    default:
      return commonError(errcode);
  }
}
