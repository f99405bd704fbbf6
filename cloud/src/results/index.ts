/** What other features use of the results in use: the credit gate. */
export { seriousRecordWhere } from './credit-gate';
export { resultsOutbox } from './results.outbox';
export { ResultFeedService } from './feed.service';
export { IncentivesService } from './incentives.service';
