/**
 * What the application kinds (objections, good-info, repair) and the calendar use of review: the
 * one application workflow and controller shape, the checks and record versions a kind's effect
 * needs, re-scoring, and the recount of provisional deadlines when a schedule is loaded.
 */
export { ApplicationWorkflow, type ApplicationKindSpec, type ApplicationView, type WorkflowConfig } from './workflow';
export { applicationController, route } from './application.controller';
export { assertNoOpenApplication, requireBoundUser } from './applications';
export {
  currentVersion,
  recordSummaries,
  writeVersion,
  type CurrentVersion,
  type VersionChange,
} from './record-versions';
export { rescoreAround, type ScoreOutcome } from './rescore';
export { previewProvisionalDeadlines, recomputeProvisionalDeadlines } from './deadline-recompute';
