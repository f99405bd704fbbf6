/** What other features and the tools use of scoring: the model in force, re-scoring, the cycle and its dispatchers. */
export { ModelRepository } from './model.repository';
export { evaluateAsOf, Scorer } from './scorer';
export {
  chunkFactsQuery,
  promoteQuery,
  slotsInChunkQuery,
  writeEvaluations,
  type GradeChange,
} from './evaluation.writer';
export { CycleService, type ChunkFollower, type CycleProgress } from './cycle';
export type { ChunkEntities } from './evaluation.writer';
export { BullmqDispatcher, InProcessDispatcher, nodeQueuePrefix } from './cycle.dispatch';
export { NodeMap } from './cycle.nodes';
export { ScoringModule } from './scoring.module';
export { ScoringService } from './scoring.service';
