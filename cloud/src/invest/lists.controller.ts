import { Body, Controller, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import {
  addToWatchlistBody,
  targetCheckIdParams,
  chainCodeParams,
  industryChainSchema,
  listParkChecksQuery,
  listWatchAlertsQuery,
  markedReadSchema,
  markWatchAlertsReadBody,
  parkCheckIdParams,
  parkCheckListSchema,
  parkCheckSchema,
  removedWatchSchema,
  runParkCheckBody,
  savedScreeningListSchema,
  savedScreeningSchema,
  saveScreeningBody,
  screeningIdParams,
  screeningRunSchema,
  updateIndustryChainBody,
  watchAlertListSchema,
  watchIdParams,
  watchItemSchema,
  watchlistSchema,
} from '@heihe/shared';
import { CurrentPrincipal, type Principal } from '../auth';
import { Endpoint, type Caller } from '../common/endpoint';
import { ChainsAdminService } from './chains-admin.service';
import { CheckPdfService } from './check-pdf';
import { ParkCheckService } from './park-check.service';
import { ScreeningsService } from './screenings.service';
import { WatchlistService } from './watchlist.service';

type P<S extends z.ZodType> = z.infer<S>;

/** The officer's own lists; administrators may keep their own too. Nobody sees another's. */
const OFFICERS: Caller[] = ['investment_officer', 'admin'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sendFile(res: Response, type: string, ascii: string, file: string, data: Buffer) {
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file)}`);
  res.setHeader('Cache-Control', 'private, no-store');
  res.end(data);
}

@Controller('invest')
export class InvestListsController {
  constructor(
    private readonly watch: WatchlistService,
    private readonly screenings: ScreeningsService,
    private readonly park: ParkCheckService,
    private readonly chains: ChainsAdminService,
    private readonly pdf: CheckPdfService,
  ) {}

  // ---- watch list ------------------------------------------------------------------------------

  @Endpoint({
    method: 'POST',
    path: 'watchlist',
    operationId: 'addToWatchlist',
    summary:
      '关注招商对象：其本身及关联范围内主体（股东、被投资企业、主要人员的其他企业）的等级变化或新增负面记录将生成预警；已关注者重新计算关联范围',
    tags: ['invest'],
    callers: OFFICERS,
    body: addToWatchlistBody,
    response: watchItemSchema,
    status: 201,
  })
  addToWatchlist(@Body() b: P<typeof addToWatchlistBody>, @CurrentPrincipal() who: Principal) {
    return this.watch.add(b, who);
  }

  @Endpoint({
    method: 'DELETE',
    path: 'watchlist/:watchId',
    operationId: 'removeFromWatchlist',
    summary: '取消关注（已生成的预警保留）',
    tags: ['invest'],
    callers: OFFICERS,
    params: watchIdParams,
    response: removedWatchSchema,
  })
  removeFromWatchlist(@Param() p: P<typeof watchIdParams>, @CurrentPrincipal() who: Principal) {
    return this.watch.remove(p.watchId, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'watchlist',
    operationId: 'listWatchlist',
    summary: '我的关注名单：当前等级、关联范围、未读预警数',
    tags: ['invest'],
    callers: OFFICERS,
    response: watchlistSchema,
  })
  listWatchlist(@CurrentPrincipal() who: Principal) {
    return this.watch.list(who);
  }

  @Endpoint({
    method: 'GET',
    path: 'watch-alerts',
    operationId: 'listWatchAlerts',
    summary: '关注预警（新者在前）：等级变化、新增负面记录，注明发生在关注对象本身还是其关联主体；游标分页',
    tags: ['invest'],
    callers: OFFICERS,
    query: listWatchAlertsQuery,
    response: watchAlertListSchema,
  })
  listWatchAlerts(@Query() q: P<typeof listWatchAlertsQuery>, @CurrentPrincipal() who: Principal) {
    return this.watch.alerts(q, who);
  }

  @Endpoint({
    method: 'POST',
    path: 'watch-alerts/read',
    operationId: 'markWatchAlertsRead',
    summary: '将关注预警标记为已读（所选或全部；只及于本人的预警）',
    tags: ['invest'],
    callers: OFFICERS,
    body: markWatchAlertsReadBody,
    response: markedReadSchema,
    status: 200,
  })
  markWatchAlertsRead(@Body() b: P<typeof markWatchAlertsReadBody>, @CurrentPrincipal() who: Principal) {
    return this.watch.markRead(b, who);
  }

  // ---- saved screenings ------------------------------------------------------------------------

  @Endpoint({
    method: 'POST',
    path: 'screenings',
    operationId: 'saveScreening',
    summary: '保存筛选清单：命名的筛选条件，可重新运行并与上次结果对比',
    tags: ['invest'],
    callers: OFFICERS,
    body: saveScreeningBody,
    response: savedScreeningSchema,
    status: 201,
  })
  saveScreening(@Body() b: P<typeof saveScreeningBody>, @CurrentPrincipal() who: Principal) {
    return this.screenings.save(b, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'screenings',
    operationId: 'listScreenings',
    summary: '我的筛选清单',
    tags: ['invest'],
    callers: OFFICERS,
    response: savedScreeningListSchema,
  })
  listScreenings(@CurrentPrincipal() who: Principal) {
    return this.screenings.list(who);
  }

  @Endpoint({
    method: 'POST',
    path: 'screenings/:screeningId/runs',
    operationId: 'runSavedScreening',
    summary: '重新运行筛选清单：当前结果（按分数，最多 500 家）及较上次的变化（新增、移出、等级变化）',
    tags: ['invest'],
    callers: OFFICERS,
    params: screeningIdParams,
    response: screeningRunSchema,
    status: 201,
  })
  runSavedScreening(@Param() p: P<typeof screeningIdParams>, @CurrentPrincipal() who: Principal) {
    return this.screenings.run(p.screeningId, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'screenings/:screeningId/xlsx',
    operationId: 'exportScreening',
    summary: '导出筛选清单最近一次运行结果及变化为 Excel（从未运行的先运行一次）',
    tags: ['invest'],
    callers: OFFICERS,
    params: screeningIdParams,
    response: z.string().describe('xlsx 文件'),
  })
  async exportScreening(
    @Param() p: P<typeof screeningIdParams>,
    @CurrentPrincipal() who: Principal,
    @Res() res: Response,
  ) {
    const { name, data } = await this.screenings.export(p.screeningId, who);
    sendFile(res, XLSX, `screening-${p.screeningId}.xlsx`, `筛选清单-${name}.xlsx`, data);
  }

  // ---- 入园 check --------------------------------------------------------------------------------

  @Endpoint({
    method: 'POST',
    path: 'park-checks',
    operationId: 'runParkCheck',
    summary:
      '入园企业信用核查：粘贴或上传一批统一社会信用代码（最多 500 个），逐个校验代码并核查等级、信用门槛、公示期内风险，逐行列明问题',
    tags: ['invest'],
    callers: OFFICERS,
    body: runParkCheckBody,
    response: parkCheckSchema,
    status: 201,
  })
  runParkCheck(@Body() b: P<typeof runParkCheckBody>, @CurrentPrincipal() who: Principal) {
    return this.park.run(b, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'park-checks',
    operationId: 'listParkChecks',
    summary: '我的入园核查（新者在前），游标分页',
    tags: ['invest'],
    callers: OFFICERS,
    query: listParkChecksQuery,
    response: parkCheckListSchema,
  })
  listParkChecks(@Query() q: P<typeof listParkChecksQuery>, @CurrentPrincipal() who: Principal) {
    return this.park.list(q, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'park-checks/:parkCheckId',
    operationId: 'getParkCheck',
    summary: '查看一次入园核查',
    tags: ['invest'],
    callers: OFFICERS,
    params: parkCheckIdParams,
    response: parkCheckSchema,
  })
  getParkCheck(@Param() p: P<typeof parkCheckIdParams>, @CurrentPrincipal() who: Principal) {
    return this.park.get(p.parkCheckId, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'park-checks/:parkCheckId/xlsx',
    operationId: 'exportParkCheck',
    summary: '导出入园核查为 Excel（概要、核查结果、问题清单）',
    tags: ['invest'],
    callers: OFFICERS,
    params: parkCheckIdParams,
    response: z.string().describe('xlsx 文件'),
  })
  async exportParkCheck(
    @Param() p: P<typeof parkCheckIdParams>,
    @CurrentPrincipal() who: Principal,
    @Res() res: Response,
  ) {
    const { number, data } = await this.park.export(p.parkCheckId, who);
    sendFile(res, XLSX, `${number}.xlsx`, `入园核查-${number}.xlsx`, data);
  }

  // ---- the check report as PDF ----------------------------------------------------------------

  @Endpoint({
    method: 'GET',
    path: 'checks/:checkId/pdf',
    operationId: 'exportTargetCheckPdf',
    summary:
      '导出核查报告为 PDF（内嵌思源黑体；概要、信用评价、红旗预警、最终持有人、风险记录、关联主体、主要人员、对外投资）',
    tags: ['invest'],
    callers: OFFICERS,
    params: targetCheckIdParams,
    response: z.string().describe('PDF 文件'),
  })
  async exportTargetCheckPdf(
    @Param() p: P<typeof targetCheckIdParams>,
    @CurrentPrincipal() who: Principal,
    @Res() res: Response,
  ) {
    const { number, name, data } = await this.pdf.export(p.checkId, who);
    sendFile(res, 'application/pdf', `${number}.pdf`, `核查报告-${number}-${name}.pdf`, data);
  }

  // ---- key chains ------------------------------------------------------------------------------

  @Endpoint({
    method: 'PUT',
    path: 'chains/:code',
    operationId: 'updateIndustryChain',
    summary: '调整重点产业链与国民经济行业分类（GB/T 4754）代码的对应（管理员；校验代码形式，记录调整原因）',
    tags: ['invest'],
    callers: ['admin'],
    params: chainCodeParams,
    body: updateIndustryChainBody,
    response: industryChainSchema,
  })
  updateIndustryChain(
    @Param() p: P<typeof chainCodeParams>,
    @Body() b: P<typeof updateIndustryChainBody>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.chains.update(p.code, b, who);
  }
}
