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
  CALENDAR_YEAR_NOT_LOADED: 503,
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
  INTERNAL: 500,
};

const HTTP_CODES: Record<number, ErrorCode> = {
  400: ErrorCodes.VALIDATION_FAILED,
  401: ErrorCodes.UNAUTHENTICATED,
  403: ErrorCodes.FORBIDDEN,
  404: ErrorCodes.NOT_FOUND,
  409: ErrorCodes.CONFLICT,
  413: ErrorCodes.VALIDATION_FAILED,
  429: ErrorCodes.RATE_LIMITED,
};

/** Prisma known-request errors, mapped separately: unique violation and missing row. */
function fromPrisma(e: unknown): AppError | null {
  const code = (e as { code?: unknown })?.code;
  if (code === 'P2002') return new AppError(ErrorCodes.CONFLICT, '记录已存在');
  if (code === 'P2025') return new AppError(ErrorCodes.NOT_FOUND, '记录不存在');
  return null;
}

/** The one place where domain errors become HTTP: `{ error: { code, message, details? } }`. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('ErrorFilter');

  catch(e: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let err = e instanceof AppError ? e : fromPrisma(e);
    if (!err && e instanceof HttpException) {
      const status = e.getStatus();
      const code = HTTP_CODES[status] ?? ErrorCodes.INTERNAL;
      const message = status === 404 ? '接口不存在' : status === 413 ? '请求体过大' : e.message;
      res.status(status).json({ error: { code, message } });
      return;
    }
    if (!err) {
      // A 500 never echoes internals to the caller.
      this.log.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      err = new AppError(ErrorCodes.INTERNAL, '服务器内部错误，请稍后重试');
    }
    const body: { code: string; message: string; details?: unknown } = { code: err.code, message: err.message };
    if (err.details.length) body.details = err.details;
    res.status(STATUS[err.code]).json({ error: body });
  }
}
