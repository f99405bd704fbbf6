import { z } from 'zod';
import { dayNumberFromCivil, isWeekendDayNumber, parseIsoDate, weekdayOfDayNumber } from './iso-date';

/**
 * One year of the State Council's holiday arrangement (国务院办公厅关于 X 年部分节假日安排的通知),
 * as plain data. Every day off (including weekend days inside a holiday block) is in `holidays`;
 * every weekend day that is worked (调休上班) is in `makeupWorkdays`. Any other day is a working
 * day exactly when it falls Monday to Friday.
 *
 * A schedule holds the dates of its own calendar year only. A notice occasionally reaches back
 * into late December of the previous year (the 2019 notice made 2018-12-29 a workday and
 * 2018-12-30/31 days off); those dates belong in the previous year's schedule, which is then
 * uploaded again.
 */
export interface CalendarSchedule {
  readonly year: number;
  readonly holidays: readonly string[];
  readonly makeupWorkdays: readonly string[];
}

const WEEKDAY_NAMES = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

const scheduleDate = z.string({ error: '日期应为字符串' }).refine((v) => parseIsoDate(v) !== null, {
  message: '日期应为 YYYY-MM-DD 格式的有效日期（如 2026-10-01）',
});

export const calendarScheduleSchema = z
  .object({
    year: z
      .number({ error: '年份应为数字' })
      .int('年份应为整数')
      .min(1949, '年份不能早于 1949')
      .max(9999, '年份不能晚于 9999'),
    // An empty list would make the year plain weekends, which is what loading must never do.
    holidays: z.array(scheduleDate).min(1, '放假日期不能为空，请按国务院通知填写'),
    makeupWorkdays: z.array(scheduleDate),
  })
  .superRefine((schedule, ctx) => {
    const lists = [
      ['holidays', schedule.holidays],
      ['makeupWorkdays', schedule.makeupWorkdays],
    ] as const;
    for (const [key, dates] of lists) {
      const seen = new Set<string>();
      dates.forEach((date, index) => {
        const civil = parseIsoDate(date);
        if (!civil) return;
        if (civil.year !== schedule.year) {
          ctx.addIssue({
            code: 'custom',
            path: [key, index],
            message: `日期 ${date} 不属于 ${schedule.year} 年`,
          });
        }
        if (seen.has(date)) {
          ctx.addIssue({
            code: 'custom',
            path: [key, index],
            message: `日期 ${date} 重复`,
          });
        }
        seen.add(date);
      });
    }
    const holidays = new Set(schedule.holidays);
    schedule.makeupWorkdays.forEach((date, index) => {
      const civil = parseIsoDate(date);
      if (!civil) return;
      if (holidays.has(date)) {
        ctx.addIssue({
          code: 'custom',
          path: ['makeupWorkdays', index],
          message: `日期 ${date} 不能既是放假日又是调休上班日`,
        });
      }
      const dayNumber = dayNumberFromCivil(civil);
      if (!isWeekendDayNumber(dayNumber)) {
        const weekday = WEEKDAY_NAMES[weekdayOfDayNumber(dayNumber)] ?? '';
        ctx.addIssue({
          code: 'custom',
          path: ['makeupWorkdays', index],
          message: `调休上班日应为周六或周日，${date} 是${weekday}`,
        });
      }
    });
  });
