import path from 'node:path';
import { defineConfig } from 'vite';

// The public site (信用中国（黑河）) is served by the API at /site/: `vite build` makes the client
// assets (the small script and the stylesheet) with a manifest, `vite build --ssr` the server
// renderer (render.cjs, CommonJS with React bundled in, so the cloud can require() it).
const web = path.resolve(__dirname, '..');

export default defineConfig(({ isSsrBuild }) => ({
  root: __dirname,
  base: '/site/',
  esbuild: { jsx: 'automatic' },
  resolve: {
    alias: { '@heihe/shared': path.resolve(web, '..', 'shared', 'src', 'index.ts') },
  },
  ssr: { noExternal: true, target: 'node' },
  build: isSsrBuild
    ? {
        outDir: path.resolve(web, 'dist', 'site', 'server'),
        emptyOutDir: true,
        rollupOptions: {
          output: { format: 'cjs', entryFileNames: 'render.cjs' },
          treeshake: { moduleSideEffects: (id) => !/\/(shared\/src|node_modules\/(tyme4ts|chinese-days))\//.test(id) },
          onwarn(warning, warn) {
            if (warning.code === 'MODULE_LEVEL_DIRECTIVE' || warning.code === 'INVALID_ANNOTATION') return;
            warn(warning);
          },
        },
      }
    : {
        outDir: path.resolve(web, 'dist', 'site', 'client'),
        emptyOutDir: true,
        manifest: true,
        rollupOptions: { input: path.resolve(__dirname, 'site.ts') },
      },
}));
