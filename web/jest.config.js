// Component tests for the web apps: a standalone jest project (rootDir is web/).
// Run: cd /work/main && npx jest --selectProjects web
module.exports = {
  displayName: 'web',
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/{console,src}/**/*.spec.{ts,tsx}'],
  setupFiles: ['<rootDir>/test/setup.ts'],
  // antd's first render in jsdom (CSS-in-JS, a Table) takes seconds on a shared 2-core machine.
  setupFilesAfterEnv: ['<rootDir>/test/timeout.ts'],
  transform: {
    '^.+\\.(tsx?|jsx?|mjs)$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: {
    '^@heihe/shared$': '<rootDir>/../shared/src/index.ts',
    '^@web/(.*)$': '<rootDir>/src/$1',
    '\\.(css|less)$': '<rootDir>/test/style-stub.js',
  },
};
