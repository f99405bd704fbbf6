import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const H5_DIR = path.join(REPO_ROOT, 'miniapp', 'dist', 'h5');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

/**
 * The H5 build the journey drives. Built here when missing or older than the mini program's
 * sources (or shared's sources, which it bundles), so the journey never tests stale code.
 */
export function ensureH5Build(): string {
  const index = path.join(H5_DIR, 'index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const sources = Math.max(
    newestMtime(path.join(REPO_ROOT, 'miniapp', 'src')),
    newestMtime(path.join(REPO_ROOT, 'miniapp', 'config')),
    newestMtime(path.join(REPO_ROOT, 'shared', 'src')),
  );
  if (built > sources) return H5_DIR;
  const r = spawnSync('npm', ['run', 'build:h5', '-w', 'miniapp'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    // Jest sets NODE_ENV=test, which would give a development build (React Refresh and all).
    env: { ...process.env, NODE_ENV: 'production', NODE_OPTIONS: '' },
  });
  if (r.status !== 0)
    throw new Error(`H5 build failed (${r.status}):\n${(r.stdout ?? '').slice(-3000)}\n${r.stderr ?? ''}`);
  return H5_DIR;
}
