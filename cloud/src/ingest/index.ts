/** What the tools, seeding and tests use of ingestion: a delivery run, and the chunk ingestor under it. */
export { IngestRun } from './ingest-run';
export { Ingestor } from './ingestor';
