import { spawnSync } from 'node:child_process';

/** Runs a command inheriting stdio; exits the script with its code when it fails. */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    process.stderr.write(`\n✗ ${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})\n`);
    process.exit(r.status ?? 1);
  }
}
