import { Body, Controller, Param } from '@nestjs/common';
import {
  calendarLoadResultSchema,
  calendarPreviewSchema,
  calendarStatusSchema,
  calendarYearParams,
  loadCalendarScheduleSchema,
} from '@heihe/shared';
import type { z } from 'zod';
import { CurrentPrincipal, type Principal } from '../auth';
import { Endpoint } from '../common/endpoint';
import { CalendarService } from './calendar.service';

type P<S extends z.ZodType> = z.infer<S>;

@Controller('calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Endpoint({
    method: 'GET',
    path: 'schedules',
    operationId: 'getCalendarStatus',
    summary: '工作日历：已加载年份、导入记录及缺失年份提示',
    tags: ['calendar'],
    callers: ['admin', 'reviewer'],
    response: calendarStatusSchema,
  })
  getCalendarStatus() {
    return this.calendar.status();
  }

  @Endpoint({
    method: 'POST',
    path: 'schedules/:year/preview',
    operationId: 'previewCalendarSchedule',
    summary: '导入前预览：按该年安排重新计算后，哪些未办结申请的暂估办理期限会变化（原期限 → 新期限），不保存任何内容',
    tags: ['calendar'],
    callers: ['admin'],
    params: calendarYearParams,
    body: loadCalendarScheduleSchema,
    response: calendarPreviewSchema,
    status: 200,
  })
  previewCalendarSchedule(@Param() p: P<typeof calendarYearParams>, @Body() b: P<typeof loadCalendarScheduleSchema>) {
    return this.calendar.preview(p.year, b);
  }

  @Endpoint({
    method: 'PUT',
    path: 'schedules/:year',
    operationId: 'loadCalendarSchedule',
    summary: '导入（或更正）某年国务院公布的节假日安排：放假日期与调休上班日；暂估的办理期限随之重新计算',
    tags: ['calendar'],
    callers: ['admin'],
    params: calendarYearParams,
    body: loadCalendarScheduleSchema,
    response: calendarLoadResultSchema,
  })
  loadCalendarSchedule(
    @Param() p: P<typeof calendarYearParams>,
    @Body() b: P<typeof loadCalendarScheduleSchema>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.calendar.load(p.year, b, who);
  }
}
