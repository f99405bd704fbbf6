import fs from 'node:fs';
import path from 'node:path';
import { APPLICATION_KINDS, AUDIT_ACTION_LABELS, AUDIT_OBJECT_LABELS } from '@heihe/shared';

/** Every source file of the API but the tests and the generated client. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [p] : [];
  });
}

const code = sources(path.join(__dirname, '..'))
  .map((f) => fs.readFileSync(f, 'utf8'))
  .join('\n');
const literals = (re: RegExp) => [...new Set([...code.matchAll(re)].map((m) => m[1]!))].sort();

describe('the audit trail in words (the console shows these labels)', () => {
  it('names every action the API writes', () => {
    const written = [
      ...literals(/\baction: '([a-z_]+(?:\.[a-z_]+)+)'/g),
      ...literals(/revokeFamily\([^)]*'([a-z_]+\.[a-z_]+)'\)/g),
      // The three applications' workflow writes `${kind}.${action}` (review/workflow.ts).
      ...APPLICATION_KINDS.flatMap((k) =>
        ['file', 'resubmit', 'deadline_recompute', 'accept', 'return', 'reject', 'uphold', 'confirm', 'approve'].map(
          (a) => `${k}.${a}`,
        ),
      ),
    ];
    expect(written.length).toBeGreaterThan(60);
    expect(written.filter((a) => !AUDIT_ACTION_LABELS[a])).toEqual([]);
  });

  it('names every object type the API writes', () => {
    const written = [
      ...literals(/\bobjectType: '([a-z_]+)'/g),
      'typical_case',
      'objection',
      'good_info_report',
      'repair_application',
    ];
    expect(written.length).toBeGreaterThan(25);
    expect(written.filter((o) => !AUDIT_OBJECT_LABELS[o])).toEqual([]);
  });
});
