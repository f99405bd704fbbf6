import { Body, Controller, Param, Query, Req } from '@nestjs/common';
import {
  caseIdParams,
  objectionReceiptSchema,
  publicCaseSchema,
  publicCasesQuery,
  publicCasesSchema,
  publicEntityParams,
  publicEntitySchema,
  publicSearchQuery,
  publicSearchSchema,
  redListQuery,
  redListSchema,
  typicalCaseObjectionBody,
} from '@heihe/shared';
import type { Request } from 'express';
import type { z } from 'zod';
import { Endpoint } from '../common/endpoint';
import { TypicalCasesService } from './cases.service';
import { PublicSiteService } from './public.service';
import { clientIp, SiteLimiter } from './site-limiter';

type P<S extends z.ZodType> = z.infer<S>;

/**
 * The public site's API (信用中国（黑河）): no sign-in, limited per client IP, paged; what it
 * returns is what the site's pages show, so a scraper gets the same masked data a person does.
 */
@Controller('public')
export class PublicSiteController {
  constructor(
    private readonly site: PublicSiteService,
    private readonly cases: TypicalCasesService,
    private readonly limiter: SiteLimiter,
  ) {}

  @Endpoint({
    method: 'GET',
    path: 'entities',
    operationId: 'searchPublicEntities',
    summary: '公示查询：按企业名称（至少 2 个字）或统一社会信用代码查找市场主体，每页 10 条、至多 20 页；按 IP 限流',
    tags: ['site'],
    callers: ['public'],
    query: publicSearchQuery,
    response: publicSearchSchema,
  })
  searchPublicEntities(@Query() q: P<typeof publicSearchQuery>, @Req() req: Request) {
    this.limiter.take('search', clientIp(req));
    return this.site.search(q.q, q.page);
  }

  @Endpoint({
    method: 'GET',
    path: 'entities/:uscc',
    operationId: 'getPublicEntity',
    summary:
      '市场主体公示信息：登记信息、公示期内的行政处罚与名单信息（已修复的不公示）、法定代表人姓名脱敏；信用等级仅对诚信主体名单内的主体公示',
    tags: ['site'],
    callers: ['public'],
    params: publicEntityParams,
    response: publicEntitySchema,
  })
  getPublicEntity(@Param() p: P<typeof publicEntityParams>, @Req() req: Request) {
    this.limiter.take('read', clientIp(req));
    return this.site.entity(p.uscc);
  }

  @Endpoint({
    method: 'GET',
    path: 'red-list',
    operationId: 'listRedList',
    summary: '诚信主体名单：A 级且公示期内无严重失信记录的主体，附等级与日期；近 90 天移出的主体及原因',
    tags: ['site'],
    callers: ['public'],
    query: redListQuery,
    response: redListSchema,
  })
  listRedList(@Query() q: P<typeof redListQuery>, @Req() req: Request) {
    this.limiter.take('read', clientIp(req));
    return this.site.redList(q.page);
  }

  @Endpoint({
    method: 'GET',
    path: 'cases',
    operationId: 'listTypicalCases',
    summary: '诚信典型案例：公示中、已发布和已撤销的案例，新的在前',
    tags: ['site'],
    callers: ['public'],
    query: publicCasesQuery,
    response: publicCasesSchema,
  })
  listTypicalCases(@Query() q: P<typeof publicCasesQuery>, @Req() req: Request) {
    this.limiter.take('read', clientIp(req));
    return this.cases.publicList(q.page);
  }

  @Endpoint({
    method: 'GET',
    path: 'cases/:id',
    operationId: 'getTypicalCase',
    summary: '诚信典型案例详情：案例正文与图片（已发布时）、公示期、企业同意公开的记录、撤销说明',
    tags: ['site'],
    callers: ['public'],
    params: caseIdParams,
    response: publicCaseSchema,
  })
  getTypicalCase(@Param() p: P<typeof caseIdParams>, @Req() req: Request) {
    this.limiter.take('read', clientIp(req));
    return this.cases.publicCase(p.id);
  }

  @Endpoint({
    method: 'POST',
    path: 'cases/:id/objections',
    operationId: 'submitTypicalCaseObjection',
    summary: '对公示期内的典型案例提出异议（无需登录，不收集个人信息），进入信用中心处理队列；按 IP 限流',
    tags: ['site'],
    callers: ['public'],
    params: caseIdParams,
    body: typicalCaseObjectionBody,
    response: objectionReceiptSchema,
    status: 201,
  })
  submitTypicalCaseObjection(
    @Param() p: P<typeof caseIdParams>,
    @Body() b: P<typeof typicalCaseObjectionBody>,
    @Req() req: Request,
  ) {
    this.limiter.take('objection', clientIp(req));
    return this.cases.object(p.id, b.statement);
  }
}
