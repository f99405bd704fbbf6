/** What other parts use of credit repair: the workflow service (the demo seed files through it). */
export { RepairService } from './repair.service';
