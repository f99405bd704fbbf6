import { Body, Controller, Param, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  AppError,
  createCreditReportRequest,
  createdCreditReportSchema,
  creditReportListSchema,
  creditReportSchema,
  creditReportVerificationSchema,
  ErrorCodes,
  listCreditReportsQuery,
  reportIdParams,
  verifyCreditReportRequest,
} from '@heihe/shared';
import type { Response } from 'express';
import { z } from 'zod';
import { CurrentPrincipal, type Principal } from '../auth';
import { Endpoint } from '../common/endpoint';
import { CreditReportService } from './report.service';
import { VerifyGuardInterceptor } from './verify.interceptor';
import { authenticOrNotFound, CreditReportVerifier } from './verify.service';

type P<S extends z.ZodType> = z.infer<S>;

interface ReceivedFile {
  buffer: Buffer;
  size: number;
}

/** RFC 6266 / 5987: an ASCII fallback and the UTF-8 name. */
function attachment(name: string): string {
  return `attachment; filename="credit-report.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** The public credit report (公共信用信息报告): issue, read, download, and verify. */
@Controller('credit-reports')
export class ReportController {
  constructor(
    private readonly reports: CreditReportService,
    private readonly verifier: CreditReportVerifier,
  ) {}

  @Endpoint({
    method: 'POST',
    path: '',
    operationId: 'createCreditReport',
    summary:
      '出具公共信用信息报告（PDF）：企业为本企业申请，信用工作机构可为任一主体出具；须写明用途。验证码仅在此返回一次，并印在报告封面',
    tags: ['reports'],
    callers: ['enterprise', 'reviewer', 'admin'],
    body: createCreditReportRequest,
    response: createdCreditReportSchema,
  })
  create(@Body() b: P<typeof createCreditReportRequest>, @CurrentPrincipal() who: Principal) {
    return this.reports.create(who, b.entityId, b.purpose);
  }

  @Endpoint({
    method: 'GET',
    path: '',
    operationId: 'listCreditReports',
    summary: '已出具的信用报告（新的在前）：企业只见本企业的，信用工作机构可按主体筛选',
    tags: ['reports'],
    callers: ['enterprise', 'reviewer', 'admin'],
    query: listCreditReportsQuery,
    response: creditReportListSchema,
  })
  list(@Query() q: P<typeof listCreditReportsQuery>, @CurrentPrincipal() who: Principal) {
    return this.reports.list(who, q);
  }

  @Endpoint({
    method: 'GET',
    path: ':reportId',
    operationId: 'getCreditReport',
    summary: '信用报告信息：编号、用途、生成与有效期、评价摘要、文件 SHA-256',
    tags: ['reports'],
    callers: ['enterprise', 'reviewer', 'admin'],
    params: reportIdParams,
    response: creditReportSchema,
  })
  get(@Param() p: P<typeof reportIdParams>, @CurrentPrincipal() who: Principal) {
    return this.reports.get(who, p.reportId);
  }

  @Endpoint({
    method: 'GET',
    path: ':reportId/file',
    operationId: 'downloadCreditReport',
    summary: '下载信用报告 PDF 原件（application/pdf）',
    tags: ['reports'],
    callers: ['enterprise', 'reviewer', 'admin'],
    params: reportIdParams,
    response: z.string().describe('PDF 文件'),
  })
  async download(@Param() p: P<typeof reportIdParams>, @CurrentPrincipal() who: Principal, @Res() res: Response) {
    const { row, data } = await this.reports.download(who, p.reportId);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', attachment(`公共信用信息报告-${row.enterpriseName}-${row.reportNo}.pdf`));
    res.setHeader('Content-Length', String(data.length));
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Report-SHA256', row.sha256);
    res.end(data);
  }

  @Endpoint({
    method: 'POST',
    path: 'verification',
    operationId: 'verifyCreditReport',
    summary:
      '核验信用报告（公开）：报告编号与验证码相符时返回报告的生成时间、主体、用途与评价摘要；不符时一律答“未找到”，不提示哪一项有误。按 IP 限频',
    tags: ['reports'],
    callers: ['public'],
    body: verifyCreditReportRequest,
    response: creditReportVerificationSchema,
    status: 200,
  })
  @UseInterceptors(VerifyGuardInterceptor)
  async verify(@Body() b: P<typeof verifyCreditReportRequest>) {
    return authenticOrNotFound(await this.verifier.verify(b));
  }

  @Endpoint({
    method: 'POST',
    path: 'verification/file',
    operationId: 'verifyCreditReportFile',
    summary:
      '上传报告 PDF 核验（公开，multipart/form-data，字段 file）：按 SHA-256 与出具时的文件比对，任何改动都不相符。限大小，按 IP 限频',
    tags: ['reports'],
    callers: ['public'],
    response: creditReportVerificationSchema,
    status: 200,
  })
  // Keep the order: the rate limit counts before multer reads the body, and maps its errors.
  @UseInterceptors(VerifyGuardInterceptor, FileInterceptor('file'))
  async verifyFile(@UploadedFile() file: ReceivedFile | undefined) {
    if (!file?.buffer?.length)
      throw new AppError(ErrorCodes.VALIDATION_FAILED, '请上传报告 PDF 文件（multipart/form-data，字段 file）');
    return authenticOrNotFound(await this.verifier.verifyFile(file.buffer));
  }
}
