export { WorkingDayCalendar } from './working-day-calendar';
export { defaultSchedules } from './default-schedules';
export { calendarScheduleSchema, type CalendarSchedule } from './schedule';
export { isIsoDate } from './iso-date';
export { provisionalSchedule, statutoryHolidays } from './statutory';
