export * from './labels';
export * from './workflow';
export * from './deadlines';
export * from './repair';
