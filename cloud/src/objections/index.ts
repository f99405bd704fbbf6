/** What other parts use of objections: the workflow service (the demo seed files and decides through it). */
export { ObjectionsService } from './objections.service';
