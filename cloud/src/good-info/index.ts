/** What other parts use of good-information reports: the workflow service (the demo seed files and decides through it). */
export { GoodInfoService } from './good-info.service';
