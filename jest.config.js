// One jest run for the whole repository; projects keep each workspace's environment.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true, tsx: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const base = { transform: { '^.+\\.(t|j)sx?$': swc }, testEnvironment: 'node' };
module.exports = {
  projects: [
    { ...base, displayName: 'shared', testMatch: ['<rootDir>/shared/src/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'cloud',
      testMatch: ['<rootDir>/cloud/src/**/*.spec.ts'],
      moduleNameMapper: { '^@heihe/shared$': '<rootDir>/shared/src/index.ts' },
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e.ts'],
      moduleNameMapper: { '^@heihe/shared$': '<rootDir>/shared/src/index.ts' },
    },
  ],
};
