export * from './scoring';
export * from './identity';
export * from './rights';
export * from './invest';
export * from './results';
export * from './report';
export * from './site';
export * from './loans';
