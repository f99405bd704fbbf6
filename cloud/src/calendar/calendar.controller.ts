import { Body, Controller, Param } from '@nestjs/common';
import {
  calendarLoadResultSchema,
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
