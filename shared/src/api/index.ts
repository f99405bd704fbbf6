export * from './scoring';
export * from './identity';
export * from './rights';
