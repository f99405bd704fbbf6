import fs from 'node:fs';
import path from 'node:path';
import {
  ArgumentsHost,
  Catch,
  Controller,
  ExceptionFilter,
  HttpException,
  UseFilters,
  Get,
  Param,
  Post,
  Query,
  Req,
  Res,
  SetMetadata,
  UploadedFile,
  UseInterceptors,
  applyDecorators,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  AppError,
  ErrorCodes,
  publicSearchQuery,
  typicalCaseObjectionBody,
  type SiteView,
  type VerifyOutcome,
} from '@heihe/shared';
import express, { type Request, type Response } from 'express';
import { ENDPOINT_META } from '../common/endpoint';
import { TypicalCasesService } from './cases.service';
import { PublicSiteService } from './public.service';
import { ReportVerifier } from './report-verifier';
import { SiteRenderer } from './renderer';
import { clientIp, SiteLimiter } from './site-limiter';

/**
 * A page of the public site: anyone may open it (the auth guard reads `callers`). Pages are not API
 * operations, so they are not in the endpoint registry, the OpenAPI document or the fuzz suite;
 * what they show comes from the same services as the public API.
 */
const Page = () => applyDecorators(SetMetadata(ENDPOINT_META, { callers: ['public'] }));

const MAX_PDF = 10 * 1024 * 1024;
const ASSET = /^[A-Za-z0-9_-]+\.(js|css)$/;
const readForm = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 5 });
const one = (v: unknown): string => (typeof v === 'string' ? v : '');

const STATUS: Partial<Record<string, [number, string]>> = {
  [ErrorCodes.NOT_FOUND]: [404, '未找到'],
  [ErrorCodes.RATE_LIMITED]: [429, '访问过于频繁'],
  [ErrorCodes.VALIDATION_FAILED]: [400, '请求有误'],
  [ErrorCodes.INVALID_USCC]: [404, '未找到'],
};

/**
 * Errors outside a page's own handling (an upload over the limit, a malformed form) as an error
 * page, not the API's JSON.
 */
@Catch()
export class PageErrorFilter implements ExceptionFilter {
  constructor(private readonly renderer: SiteRenderer) {}

  catch(e: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const status =
      e instanceof HttpException ? e.getStatus() : e instanceof AppError ? (STATUS[e.code]?.[0] ?? 400) : 500;
    const message =
      status === 413
        ? '文件超过 10 MB。请上传信用中心出具的原始报告 PDF 文件。'
        : status === 429
          ? '访问过于频繁，请稍后再试。'
          : status >= 500
            ? '服务暂时不可用，请稍后再试。'
            : '请求有误，请返回后重试。';
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    res.status(status).setHeader('Content-Type', 'text/html; charset=utf-8');
    res.send(
      this.renderer.render(
        { page: 'error', status, title: status === 413 ? '文件过大' : '无法完成请求', message },
        { path: req.originalUrl, origin },
      ),
    );
  }
}

/** The public site 信用中国（黑河）at /site/: server-rendered pages over the site's services. */
@Controller('site')
@UseFilters(PageErrorFilter)
export class SitePagesController {
  constructor(
    private readonly site: PublicSiteService,
    private readonly cases: TypicalCasesService,
    private readonly renderer: SiteRenderer,
    private readonly limiter: SiteLimiter,
    private readonly reports: ReportVerifier,
  ) {}

  private send(req: Request, res: Response, view: SiteView, status = 200): void {
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    res.status(status);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.send(this.renderer.render(view, { path: req.originalUrl, origin }));
  }

  /** Runs a page; a domain error becomes an error page with its status and message. */
  private async page(req: Request, res: Response, bucket: 'read' | 'search', make: () => Promise<SiteView>) {
    try {
      this.limiter.take(bucket, clientIp(req));
      this.send(req, res, await make());
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      const [status, title] = STATUS[e.code] ?? [400, '无法完成请求'];
      this.send(req, res, { page: 'error', status, title, message: e.message }, status);
    }
  }

  @Get()
  @Page()
  home(@Req() req: Request, @Res() res: Response) {
    if (!req.originalUrl.split('?')[0]!.endsWith('/')) return res.redirect(301, '/site/');
    return this.page(req, res, 'read', async () => ({
      page: 'home',
      redList: await this.site.redList(1),
      cases: await this.cases.publicList(1),
    }));
  }

  @Get('search')
  @Page()
  search(@Req() req: Request, @Res() res: Response, @Query('q') q: unknown, @Query('page') p: unknown) {
    return this.page(req, res, 'search', async () => {
      const parsed = publicSearchQuery.safeParse({ q: one(q), page: one(p) || undefined });
      if (!parsed.success)
        return { page: 'search', q: one(q).slice(0, 60), result: null, error: parsed.error.issues[0]!.message };
      return {
        page: 'search',
        q: parsed.data.q,
        result: await this.site.search(parsed.data.q, parsed.data.page),
        error: null,
      };
    });
  }

  @Get('entities/:uscc')
  @Page()
  entity(@Req() req: Request, @Res() res: Response, @Param('uscc') uscc: string) {
    return this.page(req, res, 'read', async () => {
      if (!/^[0-9A-Z]{18}$/.test(uscc))
        throw new AppError(ErrorCodes.NOT_FOUND, '未找到该市场主体，请核对统一社会信用代码');
      return { page: 'entity', entity: await this.site.entity(uscc) };
    });
  }

  @Get('red-list')
  @Page()
  redList(@Req() req: Request, @Res() res: Response, @Query('page') p: unknown) {
    return this.page(req, res, 'read', async () => ({ page: 'red-list', redList: await this.site.redList(pageOf(p)) }));
  }

  @Get('cases')
  @Page()
  caseList(@Req() req: Request, @Res() res: Response, @Query('page') p: unknown) {
    return this.page(req, res, 'read', async () => ({ page: 'cases', cases: await this.cases.publicList(pageOf(p)) }));
  }

  @Get('cases/:id')
  @Page()
  typicalCase(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @Query('objection') o: unknown) {
    return this.page(req, res, 'read', async () => ({
      page: 'case',
      typicalCase: await this.cases.publicCase(caseId(id)),
      objection: o === 'received' ? 'received' : null,
      error: null,
      statement: '',
    }));
  }

  /** The objection form without a script: post, then back to the case page (post/redirect/get). */
  @Post('cases/:id/objections')
  @Page()
  async object(@Req() req: Request, @Res() res: Response, @Param('id') id: string) {
    await new Promise<void>((resolve) => readForm(req, res, () => resolve()));
    const statement = one((req.body as Record<string, unknown> | undefined)?.statement);
    try {
      this.limiter.take('objection', clientIp(req));
      const n = caseId(id);
      const parsed = typicalCaseObjectionBody.safeParse({ statement });
      if (!parsed.success) {
        const typicalCase = await this.cases.publicCase(n);
        const error = parsed.error.issues[0]!.message;
        return this.send(
          req,
          res,
          { page: 'case', typicalCase, objection: null, error, statement: statement.slice(0, 1000) },
          400,
        );
      }
      await this.cases.object(n, parsed.data.statement);
      return res.redirect(303, `/site/cases/${n}?objection=received#objection`);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      const [status, title] = STATUS[e.code] ?? [409, '无法提交异议'];
      return this.send(req, res, { page: 'error', status, title, message: e.message }, status);
    }
  }

  @Get('cases/:id/photos/:n')
  @Page()
  async photo(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @Param('n') n: string) {
    try {
      this.limiter.take('read', clientIp(req));
      if (!/^[0-3]$/.test(n)) throw new AppError(ErrorCodes.NOT_FOUND, '未找到该图片');
      const ph = await this.cases.photo(caseId(id), Number(n));
      res.setHeader('Content-Type', ph.mime);
      res.setHeader('Cache-Control', 'public, max-age=3600');
      res.setHeader('Content-Security-Policy', "default-src 'none'");
      res.send(ph.data);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      res.status(e.code === ErrorCodes.RATE_LIMITED ? 429 : 404).end();
    }
  }

  @Get('assets/:file')
  @Page()
  asset(@Res() res: Response, @Param('file') file: string) {
    const dir = this.renderer.clientDir();
    const full = dir && ASSET.test(file) ? path.join(dir, 'assets', file) : null;
    if (!full || !fs.existsSync(full)) return res.status(404).end();
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    return res.sendFile(full);
  }

  @Get('verify')
  @Page()
  verify(@Req() req: Request, @Res() res: Response, @Query('no') no: unknown, @Query('code') code: unknown) {
    const reportNo = one(no).trim().slice(0, 64);
    const c = one(code).trim().slice(0, 64);
    return this.page(req, res, 'read', async () => {
      const base = { page: 'verify' as const, reportNo, code: c, error: null };
      if (!reportNo || !c) return { ...base, outcome: null };
      this.reports.take(clientIp(req));
      const report = await this.reports.verify(reportNo, c);
      const outcome: VerifyOutcome = report
        ? { kind: 'authentic', report, by: 'code' }
        : { kind: 'not_found', by: 'code' };
      return { ...base, outcome };
    });
  }

  /** A PDF upload (at most 10 MB), compared by SHA-256 with the reports as issued: one changed byte does not match. */
  @Post('verify')
  @Page()
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_PDF, files: 1, fields: 2, parts: 3 } }))
  verifyFile(@Req() req: Request, @Res() res: Response, @UploadedFile() file: { buffer?: Buffer } | undefined) {
    return this.page(req, res, 'read', async () => {
      const base = { page: 'verify' as const, reportNo: '', code: '' };
      if (!file?.buffer?.length) return { ...base, outcome: null, error: '请选择报告 PDF 文件' };
      this.reports.take(clientIp(req));
      const report = await this.reports.verifyFile(file.buffer);
      const outcome: VerifyOutcome = report
        ? { kind: 'authentic', report, by: 'file' }
        : { kind: 'not_found', by: 'file' };
      return { ...base, outcome, error: null };
    });
  }
}

function pageOf(p: unknown): number {
  const n = Number(one(p) || '1');
  return Number.isInteger(n) && n >= 1 && n <= 20 ? n : 1;
}

function caseId(id: string): number {
  if (!/^[1-9]\d{0,8}$/.test(id)) throw new AppError(ErrorCodes.NOT_FOUND, '未找到该案例');
  return Number(id);
}
