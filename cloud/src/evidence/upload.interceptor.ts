import { CallHandler, ExecutionContext, HttpException, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { AppError, ErrorCodes } from '@heihe/shared';
import type { Request } from 'express';
import { catchError, type Observable, throwError } from 'rxjs';
import { Config, type AppConfig } from '../config/config';
import type { Principal } from '../auth';

/**
 * Wraps multer (FileInterceptor, bound after this one) for `uploadEvidence`: it refuses a caller
 * who is not bound to the enterprise before a byte of the body is read, and turns multer's HTTP
 * exceptions into the domain's codes, with messages a person can act on.
 */
@Injectable()
export class UploadGuardInterceptor implements NestInterceptor {
  constructor(@Inject(Config.token) private readonly config: Pick<AppConfig, 'EVIDENCE_MAX_BYTES'>) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const entityId = Number(req.params.entityId);
    const p = req.principal;
    if (!p || p.kind !== 'user' || !p.entityIds.includes(entityId))
      return throwError(() => new AppError(ErrorCodes.NOT_FOUND, '主体不存在或无权访问'));
    const mb = Math.floor(this.config.EVIDENCE_MAX_BYTES / 1024 / 1024);
    return next.handle().pipe(
      catchError((e: unknown) => {
        if (!(e instanceof HttpException)) return throwError(() => e);
        const status = e.getStatus();
        if (status === 413)
          return throwError(() => new AppError(ErrorCodes.EVIDENCE_TOO_LARGE, `单个文件不能超过 ${mb} MB`));
        if (/Too many (files|parts)|Unexpected file field/.test(e.message))
          return throwError(() => new AppError(ErrorCodes.EVIDENCE_TOO_MANY, '每次只能上传一个文件（表单字段 file）'));
        if (status === 400)
          // Not multer's own text: it quotes the parser ("Unexpected end of form"), in English.
          return throwError(
            () => new AppError(ErrorCodes.VALIDATION_FAILED, '上传内容无法解析，请以 multipart/form-data 重新上传'),
          );
        return throwError(() => e);
      }),
    );
  }
}
