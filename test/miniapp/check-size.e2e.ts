import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The weapp build's package budgets (miniapp/scripts/check-size.mjs, run by `npm run build:weapp`):
// main ≤ 500 KB, each subpackage ≤ 600 KB; the script exits 1 naming each package over budget.
const SCRIPT = path.resolve(__dirname, '..', '..', 'miniapp', 'scripts', 'check-size.mjs');
const KB = 1024;

function fixture(files: Record<string, number>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'weapp-size-'));
  writeFileSync(
    path.join(root, 'app.json'),
    JSON.stringify({
      pages: ['pages/index/index'],
      subPackages: [{ root: 'packages/credit' }, { root: 'packages/rights/' }],
    }),
  );
  for (const [rel, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), Buffer.alloc(bytes, 0x61));
  }
  return root;
}

function run(root: string): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [SCRIPT, root], { encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('weapp package budgets (check-size.mjs)', () => {
  const roots: string[] = [];
  const make = (files: Record<string, number>) => {
    const root = fixture(files);
    roots.push(root);
    return root;
  };
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('passes packages within budget, and leaves source maps and licences out of the count', () => {
    const result = run(
      make({
        'app.js': 400 * KB,
        'packages/credit/pages/a/index.js': 590 * KB,
        'packages/credit/pages/a/index.js.map': 900 * KB,
        'packages/rights/sub-vendors.js.LICENSE.txt': 700 * KB,
        'packages/rights/sub-vendors.js': 599 * KB,
      }),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/packages\/credit\s+590\.0 KB/);
    expect(result.stdout).toMatch(/packages\/rights\s+599\.0 KB/);
  });

  it('fails when one subpackage is over 600 KB, naming it and only it', () => {
    const result = run(
      make({
        'app.js': 100 * KB,
        'packages/credit/sub-common/zod.js': 300 * KB,
        'packages/credit/pages/a/index.js': 301 * KB,
        'packages/rights/pages/b/index.js': 10 * KB,
      }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('subpackage packages/credit is 601.0 KB, over the 600.0 KB budget');
    expect(result.stderr).not.toContain('packages/rights');
    expect(result.stderr).not.toContain('main package');
  });

  it('fails when the main package is over 500 KB, counting files outside any subpackage root', () => {
    const result = run(make({ 'app.js': 300 * KB, 'common.js': 201 * KB, 'packages/other/x.js': 1 * KB }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/main package is 502\.\d KB, over the 500\.0 KB budget/);
  });

  it('refuses to pass without a build', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'weapp-size-'));
    roots.push(empty);
    expect(run(empty).code).toBe(2);
  });
});
