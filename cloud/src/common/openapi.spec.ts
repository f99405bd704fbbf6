import fs from 'node:fs';
import path from 'node:path';
import '../app.module';
import { REPO_ROOT } from '../config/config';
import { buildOpenApi } from './openapi';

describe('docs/api/openapi.json', () => {
  it('is the document the code generates (run `npm run openapi` after changing an endpoint)', () => {
    const committed = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'api', 'openapi.json'), 'utf8'));

    expect(buildOpenApi('api')).toEqual(committed);
  });

  it('gives every operation a unique operationId and declared callers', () => {
    const doc = buildOpenApi('api') as {
      paths: Record<string, Record<string, { operationId: string; 'x-callers': string[] }>>;
    };
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));

    expect(new Set(ops.map((o) => o.operationId)).size).toBe(ops.length);
    expect(ops.every((o) => o['x-callers'].length > 0)).toBe(true);
  });
});
