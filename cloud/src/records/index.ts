/** What other features use of the credit records: the facts as of a date, by entity or by id range. */
export { FACT_COLUMNS, factsAsOf, factsInRangeAsOf, factsRangeQuery, factsWhereQuery } from './facts.repository';
export { forEachFactInCopy } from './fact-copy';
