/** What the tools, seeding and tests use of ingestion: a delivery run, and the chunk ingestor under it. */
export { IngestRun } from './ingest-run';
export { Ingestor } from './ingestor';
/** The staging table and the statements that apply it: the partition-routing test EXPLAINs them. */
export { applyStageSql, STAGE_DDL } from './stage';
