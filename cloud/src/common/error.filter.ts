import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { AppError, ErrorCodes, type ErrorCode } from '@heihe/shared';
import type { Response } from 'express';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  INVALID_USCC: 400,
  INVALID_ID_NUMBER: 400,
  MODEL_INVALID: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  MODEL_IMMUTABLE: 409,
  CYCLE_RUNNING: 409,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  WECHAT_INVALID_CODE: 400,
  WECHAT_RATE_LIMITED: 429,
  WECHAT_RISKY_USER: 403,
  WECHAT_BUSY: 503,
  WECHAT_UNAVAILABLE: 502,
  FACE_VERIFY_FAILED: 403,
  CONSENT_REQUIRED: 403,
  IDENTITY_MISMATCH: 403,
  EVIDENCE_TYPE_NOT_ALLOWED: 415,
  EVIDENCE_TOO_LARGE: 413,
  EVIDENCE_TOO_MANY: 422,
  EVIDENCE_MALFORMED: 422,
  EVIDENCE_IMAGE_TOO_LARGE: 422,
  EVIDENCE_REJECTED: 422,
  APPLICATION_STATE: 409,
  APPLICATION_OPEN: 409,
  REPAIR_TOO_EARLY: 422,
  REPAIR_NOT_APPLICABLE: 422,
  LOAN_TRANSITION: 409,
  LOAN_NOT_ELIGIBLE: 422,
  USERNAME_TAKEN: 409,
  ACCOUNT_STATE: 409,
  INTERNAL: 500,
};

/**
 * HTTP errors raised outside the domain (body parser, router, multer): a code and a Chinese
 * message by status. Their own message is never shown: it may quote the request ("Unexpected
 * token … is not valid JSON") or name internals.
 */
const HTTP_ERRORS: Record<number, [ErrorCode, string]> = {
  400: [ErrorCodes.VALIDATION_FAILED, '请求参数有误，请检查后重试'],
  401: [ErrorCodes.UNAUTHENTICATED, '请先登录或提供 API 密钥'],
  403: [ErrorCodes.FORBIDDEN, '无权访问'],
  404: [ErrorCodes.NOT_FOUND, '接口不存在'],
  405: [ErrorCodes.NOT_FOUND, '接口不支持该请求方法'],
  409: [ErrorCodes.CONFLICT, '数据冲突，请刷新后重试'],
  413: [ErrorCodes.PAYLOAD_TOO_LARGE, '请求体过大'],
  415: [ErrorCodes.UNSUPPORTED_MEDIA_TYPE, '不支持的请求内容类型，请以 application/json 提交'],
  429: [ErrorCodes.RATE_LIMITED, '操作过于频繁，请稍后再试'],
};

/** body-parser's error types (http-errors `type`), where the status alone says too little. */
const BODY_ERRORS: Record<string, [number, ErrorCode, string]> = {
  'entity.parse.failed': [400, ErrorCodes.VALIDATION_FAILED, '请求体不是有效的 JSON'],
  'entity.too.large': [413, ErrorCodes.PAYLOAD_TOO_LARGE, '请求体过大'],
  'entity.verify.failed': [400, ErrorCodes.VALIDATION_FAILED, '请求体无法解析'],
  'request.aborted': [400, ErrorCodes.VALIDATION_FAILED, '请求体不完整'],
  'request.size.invalid': [400, ErrorCodes.VALIDATION_FAILED, '请求体长度与声明不符'],
  'charset.unsupported': [415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE, '请求体应为 UTF-8 编码的 JSON'],
  'encoding.unsupported': [415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE, '不支持的请求体压缩方式'],
};

/** Prisma known-request errors, mapped separately: unique violation and missing row. */
function fromPrisma(e: unknown): AppError | null {
  const code = (e as { code?: unknown })?.code;
  if (code === 'P2002') return new AppError(ErrorCodes.CONFLICT, '记录已存在');
  if (code === 'P2025') return new AppError(ErrorCodes.NOT_FOUND, '记录不存在');
  return null;
}

/**
 * PostgreSQL errors (node-postgres and PGlite both carry the SQLSTATE in `code`) that a request can
 * cause: constraint violations and bad data. The database's own text names tables, constraints
 * and the offending values, so it is never shown.
 */
export function fromSqlState(e: unknown): AppError | null {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^(22|23|40)[0-9A-Z]{3}$/.test(code)) return null;
  if (code === '23505') return new AppError(ErrorCodes.CONFLICT, '记录已存在，请勿重复提交');
  if (code === '23503') return new AppError(ErrorCodes.CONFLICT, '关联的记录不存在或仍被引用');
  if (code === '40001' || code === '40P01')
    return new AppError(ErrorCodes.CONFLICT, '数据正被其他操作修改，请稍后重试');
  if (code.startsWith('22')) return new AppError(ErrorCodes.VALIDATION_FAILED, '请求参数有误：数据格式或取值超出范围');
  if (code.startsWith('23')) return new AppError(ErrorCodes.VALIDATION_FAILED, '提交的数据不符合约束，请检查后重试');
  return null;
}

function httpStatusOf(e: unknown): number | null {
  if (e instanceof HttpException) return e.getStatus();
  const s =
    (e as { status?: unknown; statusCode?: unknown } | null)?.status ?? (e as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' && Number.isInteger(s) && s >= 400 && s < 500 ? s : null;
}

/** Errors of the HTTP layer itself: the body parser, the router, multer. */
function fromHttp(e: unknown): { status: number; err: AppError } | null {
  const type = (e as { type?: unknown } | null)?.type;
  const known = typeof type === 'string' ? BODY_ERRORS[type] : undefined;
  if (known) return { status: known[0], err: new AppError(known[1], known[2]) };
  const status = httpStatusOf(e);
  if (status === null || status >= 500) return null;
  const [code, message] = HTTP_ERRORS[status] ?? [ErrorCodes.VALIDATION_FAILED, '请求无法处理，请检查后重试'];
  return { status, err: new AppError(code, message) };
}

/** The one place where domain errors become HTTP: `{ error: { code, message, details? } }`. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('ErrorFilter');

  catch(e: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let status: number | undefined;
    let err = e instanceof AppError ? e : (fromPrisma(e) ?? fromSqlState(e));
    if (err && !(e instanceof AppError)) this.log.warn(`database error ${(e as { code: string }).code} → ${err.code}`);
    if (!err) {
      const http = fromHttp(e);
      if (http) ({ status, err } = http);
    }
    if (!err) {
      // A 500 never echoes internals to the caller.
      this.log.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      err = new AppError(ErrorCodes.INTERNAL, '服务器内部错误，请稍后重试');
    }
    const body: { code: string; message: string; details?: unknown } = { code: err.code, message: err.message };
    if (err.details.length) body.details = err.details;
    if (res.headersSent) return;
    res.status(status ?? STATUS[err.code]).json({ error: body });
  }
}
