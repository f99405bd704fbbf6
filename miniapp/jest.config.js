// Component tests for the mini program: a standalone jest project (rootDir is miniapp/).
// Run: cd /work/main && npx jest -c miniapp/jest.config.js
module.exports = {
  displayName: 'miniapp',
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/src/**/*.spec.{ts,tsx}'],
  // The mini program is the primary target: code reads process.env.TARO_ENV as the build sets it.
  setupFiles: ['<rootDir>/test/setup-env.js'],
  transform: {
    '^.+\\.(tsx?|jsx?|mjs)$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
          target: 'es2020',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // Build-time flags that Taro's webpack plugins define; @tarojs/runtime and the React component
  // wrappers read them as globals. Values are Taro's defaults (MiniWebpackPlugin, H5WebpackPlugin).
  globals: {
    DEPRECATED_ADAPTER_COMPONENT: false,
    ENABLE_INNER_HTML: true,
    ENABLE_ADJACENT_HTML: false,
    ENABLE_SIZE_APIS: false,
    ENABLE_TEMPLATE_CONTENT: false,
    ENABLE_CLONE_NODE: false,
    ENABLE_CONTAINS: false,
    ENABLE_MUTATION_OBSERVER: false,
  },
  moduleNameMapper: {
    '^@tarojs/components$': '@tarojs/components/lib/react/index',
    '^@tarojs/taro$': '<rootDir>/test/taro-fake.ts',
    // Subpackages deep-import shared's build (see README); tests read the sources instead.
    '^@heihe/shared/dist/(.*)$': '<rootDir>/../shared/src/$1',
    '^@heihe/shared$': '<rootDir>/../shared/src/index.ts',
    '^@/(.*)$': '<rootDir>/src/$1',
    '\\.(css|less|scss|sass)$': '<rootDir>/test/style-stub.js',
  },
  // Taro's React components ship ESM (and pull in Stencil and Swiper), including an ESM tslib
  // vendored at @tarojs/components/lib/react/node_modules/.pnpm/…/node_modules/tslib. So skip a
  // node_modules file only when no @tarojs, @stencil or swiper folder is anywhere on its path.
  transformIgnorePatterns: ['^(?!.*/node_modules/(@tarojs|@stencil|swiper)/).*/node_modules/'],
};
