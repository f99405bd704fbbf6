import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FROM_SOURCES, nodeArgs, startWorker } from './worker-path';

/**
 * A module tree as cloud's sources are written: TypeScript, `@heihe/shared`, relative imports with
 * the `.js` extension. Beside it, an older build of the same module, as a stale dist/ would hold.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-worker-path-'));
fs.writeFileSync(
  path.join(dir, 'helper.ts'),
  `import { checkUscc } from '@heihe/shared';
   export const from = (who: string): string => \`source \${who} \${typeof checkUscc}\`;`,
);
fs.writeFileSync(
  path.join(dir, 'probe.worker.ts'),
  `import { parentPort, workerData } from 'node:worker_threads';
   import { from } from './helper.js';
   const who: string = (workerData as { who: string }).who;
   parentPort!.postMessage(from(who));`,
);
fs.writeFileSync(
  path.join(dir, 'probe.main.ts'),
  `import { from } from './helper.js';\nconsole.log(from(process.argv.slice(2).join(',')), process.argv[1]);`,
);
// The stale build: older than the sources, and saying so.
for (const name of ['probe.worker.js', 'probe.main.js']) {
  fs.writeFileSync(
    path.join(dir, name),
    `require('node:worker_threads').parentPort?.postMessage('stale build'); console.log('stale build');`,
  );
  fs.utimesSync(path.join(dir, name), new Date(2020, 0, 1), new Date(2020, 0, 1));
}
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('worker-path, from sources (as under jest)', () => {
  it('knows it runs from sources', () => {
    expect(FROM_SOURCES).toBe(true);
  });

  it('starts a thread on the TypeScript source, with its imports, never the older build beside it', async () => {
    const sut = startWorker(dir, 'probe.worker', { workerData: { who: 'thread' } });
    try {
      const said = await new Promise((resolve, reject) => {
        sut.once('message', resolve);
        sut.once('error', reject);
      });
      expect(said).toBe('source thread function');
    } finally {
      await sut.terminate();
    }
  });

  it('runs an entry point in a child process from its source, with its arguments where node puts them', () => {
    const out = spawnSync(process.execPath, nodeArgs(path.join(dir, 'probe.main'), ['a', 'b']), { encoding: 'utf8' });

    expect(out.stderr).toBe('');
    expect(out.stdout.trim()).toBe(`source a,b function ${path.join(dir, 'probe.main.ts')}`);
  });
});
