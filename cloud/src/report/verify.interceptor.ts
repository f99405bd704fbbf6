import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { AppError, ErrorCodes } from '@heihe/shared';
import type { Request } from 'express';
import { catchError, type Observable, throwError } from 'rxjs';
import { VerifyRateLimiter } from './rate-limit';

/**
 * Counts a verification against the caller's IP before anything else happens (for an upload:
 * before multer, bound after this one, reads a byte of the body), and turns multer's HTTP
 * exceptions into the domain's codes with messages a person can act on.
 */
@Injectable()
export class VerifyGuardInterceptor implements NestInterceptor {
  constructor(private readonly limiter: VerifyRateLimiter) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request>();
    try {
      this.limiter.take(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    } catch (e) {
      return throwError(() => e);
    }
    return next.handle().pipe(
      catchError((e: unknown) => {
        if (!(e instanceof HttpException)) return throwError(() => e);
        if (e.getStatus() === 413)
          return throwError(
            () => new AppError(ErrorCodes.PAYLOAD_TOO_LARGE, '文件过大：请上传本平台出具的报告 PDF 原件'),
          );
        if (e.getStatus() === 400)
          return throwError(
            () =>
              new AppError(
                ErrorCodes.VALIDATION_FAILED,
                '上传内容无法解析，请以 multipart/form-data 上传一个文件（表单字段 file）',
              ),
          );
        return throwError(() => e);
      }),
    );
  }
}
