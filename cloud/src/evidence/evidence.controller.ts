import { Controller, Param, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { entityIdParams, evidenceFileSchema, evidenceIdParams } from '@heihe/shared';
import type { Response } from 'express';
import { z } from 'zod';
import { CurrentPrincipal, type Principal } from '../auth';
import { Endpoint } from '../common/endpoint';
import { evidenceView } from './evidence.repository';
import { EvidenceService, type ReceivedFile } from './evidence.service';
import { UploadGuardInterceptor } from './upload.interceptor';

type P<S extends z.ZodType> = z.infer<S>;

const checkMediaQuery = z.object({
  expires: z.coerce.number().int().positive(),
  sig: z.string().regex(/^[0-9a-f]{64}$/),
});

const deletedEvidence = z.object({ id: z.string(), deleted: z.literal(true) });

/** RFC 6266 / 5987: an ASCII fallback plus the UTF-8 name. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

@Controller()
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  @Endpoint({
    method: 'POST',
    path: 'entities/:entityId/evidence',
    operationId: 'uploadEvidence',
    summary: '上传证明材料（multipart/form-data，字段 file；JPG、PNG 或 PDF，按内容识别）',
    tags: ['rights'],
    callers: ['enterprise'],
    params: entityIdParams,
    response: evidenceFileSchema,
  })
  // Keep the order: the guard checks the binding before multer reads the body, and maps its errors.
  @UseInterceptors(UploadGuardInterceptor, FileInterceptor('file'))
  uploadEvidence(
    @Param() p: P<typeof entityIdParams>,
    @UploadedFile() file: ReceivedFile | undefined,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.evidence.upload(who, p.entityId, file);
  }

  @Endpoint({
    method: 'GET',
    path: 'evidence/:fileId',
    operationId: 'getEvidence',
    summary: '证明材料信息（本企业用户与信用工作机构可见）',
    tags: ['rights'],
    callers: ['enterprise', 'reviewer', 'admin'],
    params: evidenceIdParams,
    response: evidenceFileSchema,
  })
  async getEvidence(@Param() p: P<typeof evidenceIdParams>, @CurrentPrincipal() who: Principal) {
    return evidenceView(await this.evidence.get(who, p.fileId));
  }

  @Endpoint({
    method: 'DELETE',
    path: 'evidence/:fileId',
    operationId: 'deleteEvidence',
    summary: '删除本人上传、尚未随申请提交的证明材料（已提交的不能删除）',
    tags: ['rights'],
    callers: ['enterprise'],
    params: evidenceIdParams,
    response: deletedEvidence,
    status: 200,
  })
  async deleteEvidence(
    @Param() p: P<typeof evidenceIdParams>,
    @CurrentPrincipal() who: Principal,
  ): Promise<P<typeof deletedEvidence>> {
    await this.evidence.delete(who, p.fileId);
    return { id: p.fileId, deleted: true };
  }

  @Endpoint({
    method: 'GET',
    path: 'evidence/:fileId/content',
    operationId: 'downloadEvidence',
    summary: '下载证明材料原件（本企业用户与信用工作机构可见）',
    tags: ['rights'],
    callers: ['enterprise', 'reviewer', 'admin'],
    params: evidenceIdParams,
    response: z.string().describe('文件内容'),
  })
  async downloadEvidence(
    @Param() p: P<typeof evidenceIdParams>,
    @CurrentPrincipal() who: Principal,
    @Res() res: Response,
  ) {
    const { row, data } = await this.evidence.download(who, p.fileId);
    res.setHeader('Content-Type', row.mime);
    res.setHeader('Content-Disposition', contentDisposition(row.displayName));
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Evidence-SHA256', row.sha256);
    res.end(data);
  }

  @Endpoint({
    method: 'GET',
    path: 'evidence/check-media/:fileId',
    operationId: 'getEvidenceForContentCheck',
    summary: '供微信内容安全检测下载图片（签名链接，1 小时内有效）',
    tags: ['rights'],
    callers: ['public'],
    params: evidenceIdParams,
    query: checkMediaQuery,
    response: z.string().describe('图片内容'),
  })
  async getEvidenceForContentCheck(
    @Param() p: P<typeof evidenceIdParams>,
    @Query() q: P<typeof checkMediaQuery>,
    @Res() res: Response,
  ) {
    const { data, mime } = await this.evidence.mediaForCheck(p.fileId, q.expires, q.sig);
    res.setHeader('Content-Type', mime);
    res.setHeader('Cache-Control', 'no-store');
    res.end(data);
  }
}
