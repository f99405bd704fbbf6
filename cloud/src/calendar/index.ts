/** What other features use of the calendar: the working-day calendar in force. */
export { CalendarService } from './calendar.service';
