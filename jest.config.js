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
// The generated Prisma client imports './x.js' (importFileExtension = "js"); jest runs its .ts.
const cloudMapper = { '^@heihe/shared$': '<rootDir>/shared/src/index.ts', '^(\\.{1,2}/.*)\\.js$': '$1' };
const base = { transform: { '^.+\\.(t|j)sx?$': swc }, testEnvironment: 'node' };
module.exports = {
  projects: [
    '<rootDir>/miniapp/jest.config.js',
    '<rootDir>/web/jest.config.js',
    { ...base, displayName: 'shared', testMatch: ['<rootDir>/shared/src/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'cloud',
      testMatch: ['<rootDir>/cloud/src/**/*.spec.ts'],
      moduleNameMapper: cloudMapper,
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e.ts'],
      moduleNameMapper: cloudMapper,
    },
  ],
};
