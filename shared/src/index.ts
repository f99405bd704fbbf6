export * from './errors';
export * from './validation';
export * from './calendar';
export * from './scoring';
export * from './records';
export * from './ingest';
export * from './invest';
export * from './api';
