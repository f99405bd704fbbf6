import path from 'node:path';
import { defineConfig } from 'vite';

// The console is its own Vite app (root web/console/, served by the API at /console/); the public
// site will be a sibling config (web/site/) building into web/dist/site/.
const web = path.resolve(__dirname, '..');

export default defineConfig({
  root: __dirname,
  base: '/console/',
  // JSX without a React plugin: esbuild's automatic runtime is all the build needs.
  esbuild: { jsx: 'automatic' },
  resolve: {
    alias: {
      // shared's ES sources (not its CommonJS dist) so that the bundle tree-shakes the domain.
      '@heihe/shared': path.resolve(web, '..', 'shared', 'src', 'index.ts'),
      '@web': path.resolve(web, 'src'),
    },
  },
  build: {
    outDir: path.resolve(web, 'dist', 'console'),
    emptyOutDir: true,
    // scripts/size.mjs reads the chunk graph from it: the first route's JS budget.
    manifest: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // shared/ is pure by its own lint rules, and the console uses none of the calendar: without
      // this, the schemas' re-exports keep the working-day calendar and its lunar library
      // (tyme4ts, chinese-days) in the first route for their top-level initialisers alone.
      treeshake: {
        moduleSideEffects: (id) => !/\/(shared\/src|node_modules\/(tyme4ts|chinese-days))\//.test(id),
      },
      // antd marks its modules "use client" (for React Server Components) and zod annotates pure
      // calls in comment positions Rollup skips: both harmless in a client bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' || warning.code === 'INVALID_ANNOTATION') return;
        warn(warning);
      },
    },
  },
  server: {
    fs: { allow: [path.resolve(web, '..')] },
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
