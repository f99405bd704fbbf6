import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import TsconfigPathsPlugin from 'tsconfig-paths-webpack-plugin';
import devConfig from './dev';
import prodConfig from './prod';

/**
 * The API origin is baked in at build time. H5 is served by the API's own Node server, so it
 * calls '/api' on the same origin; the mini program needs an absolute origin
 * (TARO_APP_API=https://… taro build --type weapp). Taro only reads TARO_APP_* from .env files,
 * so the shell variable is forwarded here.
 */
const LOCAL_API_ORIGIN = 'http://127.0.0.1:3000';

/**
 * Both builds compile shared's TypeScript sources, not its CommonJS build: as ES modules webpack
 * keeps only what a page uses, of shared and of zod (whose CommonJS entry requires every locale).
 * Measured on the weapp build: account, credit and rights each carried about 590 KB of shared and
 * zod in sub-common/, and were 599–674 KB; they are 136–180 KB now (miniapp/README.md).
 */
const SHARED_SRC = path.resolve(__dirname, '..', '..', 'shared', 'src');
const sharedSourceAliases = {
  '@heihe/shared/dist': SHARED_SRC,
  '@heihe/shared$': path.join(SHARED_SRC, 'index.ts'),
};

export default defineConfig<'webpack5'>(async (merge) => {
  const platform = process.env.TARO_ENV ?? 'weapp';
  const apiOrigin = process.env.TARO_APP_API ?? (platform === 'h5' ? '' : LOCAL_API_ORIGIN);

  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'heihe-credit-miniapp',
    date: '2025-01-01',
    designWidth: 375,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    // One folder per platform: weapp and h5 builds must not overwrite each other.
    outputRoot: path.join('dist', platform),
    plugins: [],
    env: {
      TARO_APP_API: JSON.stringify(apiOrigin),
      // The agency's contact on the help page (src/api/config.ts has the defaults).
      TARO_APP_AGENCY_NAME: JSON.stringify(process.env.TARO_APP_AGENCY_NAME ?? ''),
      TARO_APP_AGENCY_PHONE: JSON.stringify(process.env.TARO_APP_AGENCY_PHONE ?? ''),
      TARO_APP_AGENCY_ADDRESS: JSON.stringify(process.env.TARO_APP_AGENCY_ADDRESS ?? ''),
      TARO_APP_AGENCY_HOURS: JSON.stringify(process.env.TARO_APP_AGENCY_HOURS ?? ''),
    },
    defineConstants: {},
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      compile: { include: [SHARED_SRC] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
      webpackChain(chain) {
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin);
        chain.resolve.alias.merge(sharedSourceAliases);
      },
    },
    h5: {
      compile: { include: [SHARED_SRC] },
      publicPath: '/',
      staticDirectory: 'static',
      // Hash routing: any static server that returns index.html for '/' can host the build.
      router: { mode: 'hash' },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        // rem root follows the viewport from 320px (16px) to 480px (24px) and stops there, so
        // small phones fit and a desktop browser does not blow the layout up.
        pxtransform: { enable: true, config: { baseFontSize: 20, minRootSize: 16, maxRootSize: 24 } },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
      webpackChain(chain) {
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin);
        chain.resolve.alias.merge(sharedSourceAliases);
        // Pages outside the main package deep-import @heihe/shared (zod, validators, the engine).
        // Taro's H5 split only shares initial chunks, so each such page chunk would carry its own
        // copy (about 600 KB each, measured); these groups load them once, on first use.
        const split = chain.optimization.get('splitChunks') as { cacheGroups?: Record<string, unknown> } | undefined;
        if (split) {
          chain.optimization.splitChunks({
            ...split,
            cacheGroups: {
              ...split.cacheGroups,
              sharedRuntime: {
                name: 'shared-runtime',
                test: /[\\/](node_modules[\\/]zod|shared[\\/](dist|src))[\\/]/,
                chunks: 'async',
                priority: 50,
                enforce: true,
              },
              // The form controls (input, textarea, picker, the image viewer's swiper) likewise.
              asyncTaroComponents: {
                name: 'taro-components-async',
                test: /[\\/]node_modules[\\/](@tarojs[\\/]components|swiper|@stencil)[\\/]/,
                chunks: 'async',
                minChunks: 2,
                priority: 40,
              },
            },
          });
        }
      },
    },
  };

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig);
  }
  return merge({}, baseConfig, prodConfig);
});
