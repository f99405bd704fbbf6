import path from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Whether this process runs cloud's TypeScript sources (under jest, which compiles src/ with swc in
 * its own module system, or in a process started by `nodeArgs`) rather than the build in dist/.
 */
export const FROM_SOURCES = __filename.endsWith('.ts');

/** cloud/src when running from sources, cloud/dist from a build. */
export const CODE_ROOT = path.resolve(__dirname, '..');

/**
 * A require hook, as code for a fresh thread or process, that compiles cloud's (and shared's)
 * TypeScript with @swc/core as it is required, with jest's options (jest.config.js) and its module
 * mapping: `@heihe/shared` is shared/src, and a relative `./x.js` from a .ts file is `./x.ts`.
 */
function sourceHook(): string {
  const swc = require.resolve('@swc/core');
  const shared = path.resolve(CODE_ROOT, '../../shared/src/index.ts');
  return `
    const Module = require('node:module');
    const fs = require('node:fs');
    const path = require('node:path');
    const { transformSync } = require(${JSON.stringify(swc)});
    process.setSourceMapsEnabled(true);
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, parent, ...rest) {
      if (request === '@heihe/shared') return ${JSON.stringify(shared)};
      if (parent && parent.filename && parent.filename.endsWith('.ts') && /^\\.{1,2}\\//.test(request)) {
        const base = path.resolve(path.dirname(parent.filename), request.replace(/\\.js$/, ''));
        for (const f of [base + '.ts', path.join(base, 'index.ts')]) if (fs.existsSync(f)) return f;
      }
      return resolve.call(this, request, parent, ...rest);
    };
    Module._extensions['.ts'] = function (module, filename) {
      const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
        filename,
        sourceMaps: 'inline',
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      });
      module._compile(code, filename);
    };`;
}

/**
 * Starts the worker thread whose module is `<dir>/<name>` (pass `__dirname` and the file name
 * without extension, e.g. `'file-prepare.worker'`). From a build, the compiled `name.js` next to
 * the caller. From sources, `name.ts` itself, compiled as it is required: code under test never
 * runs a dist/ that may be older than it, so a stale build cannot pass silently under `npx jest`.
 */
export function startWorker(dir: string, name: string, options: WorkerOptions = {}): Worker {
  if (!FROM_SOURCES) return new Worker(path.join(dir, `${name}.js`), options);
  const source = path.join(dir, `${name}.ts`);
  return new Worker(`${sourceHook()}\nrequire(${JSON.stringify(source)});`, { ...options, eval: true });
}

/**
 * The `node` arguments that run a cloud entry point in a child process (`entry` without extension,
 * relative to cloud/src, e.g. `'tools/worker'`, or absolute), followed by `args`: its build, or
 * from sources its source, as `startWorker` does for threads.
 */
export function nodeArgs(entry: string, args: string[] = []): string[] {
  if (!FROM_SOURCES) return [path.resolve(CODE_ROOT, `${entry}.js`), ...args];
  const source = path.resolve(CODE_ROOT, `${entry}.ts`);
  // `-e` leaves argv[1] out: put the entry there, so the entry reads its arguments as usual.
  return [
    '-e',
    `${sourceHook()}\nprocess.argv.splice(1, 0, ${JSON.stringify(source)});\nrequire(${JSON.stringify(source)});`,
    ...args,
  ];
}
