import type { INestApplication } from '@nestjs/common';
import { makeIdNumber, makeUscc } from '@heihe/shared';
import { hashApiKey } from '../../cloud/src/auth/auth.guard';
import { bootstrap } from '../../cloud/src/bootstrap';
import { createTestDatabase, testBackends, type TestDatabase } from '../../cloud/src/testing/test-db';
import { testConfig } from '../../cloud/src/testing/config';

const INGEST_KEY = 'test-ingest-key-0123456789';
const READ_ONLY_KEY = 'test-read-key-0123456789';
const USCC = makeUscc('91231102MA00000T1');

describe.each(testBackends())('the API skeleton on %s', (backend) => {
  let t: TestDatabase;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    t = await createTestDatabase(backend);
    app = await bootstrap(testConfig(), t.db, { logger: false });
    await app.listen(0, '127.0.0.1');
    base = `${await app.getUrl()}/api`;
    await t.db.query(
      `INSERT INTO api_client (name, kind, key_hash, scopes) VALUES ('省平台', 'data_source', $1, '{ingest}'), ('某银行', 'bank', $2, '{evaluations:read}')`,
      [hashApiKey(INGEST_KEY), hashApiKey(READ_ONLY_KEY)],
    );
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  const post = (path: string, body: unknown, key?: string) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
      body: JSON.stringify(body),
    });

  it('serves an OpenAPI document carrying the operationIds partner systems rely on', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };

    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(ids).toEqual(
      expect.arrayContaining([
        'ingestRecords',
        'getEntityEvaluation',
        'listEvaluationHistory',
        'runScoringCycle',
        'previewModelImpact',
        'publishModel',
      ]),
    );
    expect(doc.paths['/api/entities/{entityId}/evaluation']).toBeDefined();
  });

  it('answers an unknown route with the one error shape', async () => {
    const res = await fetch(`${base}/no-such-thing`);

    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });

  it('refuses a delivery without an API key', async () => {
    const res = await post('/ingest/records', { rows: [{}] });

    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a delivery from a key without the ingest scope', async () => {
    const res = await post('/ingest/records', { rows: [{}] }, READ_ONLY_KEY);

    expect(res.status).toBe(403);
  });

  it('explains a malformed request field by field', async () => {
    const res = await post('/ingest/records', { rows: [] }, INGEST_KEY);

    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
        details: [{ path: 'body.rows', message: '至少一行' }],
      },
    });
  });

  it('ingests over HTTP, reports bad rows by line, scores the entity, and is idempotent', async () => {
    const rows = [
      {
        type: 'registration',
        sourceSystem: 'scjg',
        sourceId: 'REG-1',
        uscc: USCC,
        name: '黑河接口测试有限公司',
        entityType: '有限责任公司',
        establishedOn: '2012-05-01',
        registeredCapital: 1e7,
        paidInCapital: 8e6,
        industryCode: 'F5121',
        regionCode: '231102',
        legalRepName: '李立新',
        legalRepIdNumber: makeIdNumber('23110219750505002'),
      },
      {
        type: 'record',
        kind: 'tax_grade',
        sourceSystem: 'tax',
        sourceId: 'TG-1',
        uscc: USCC,
        grade: 'A',
        amount: 2025,
        occurredOn: '2026-04-15',
      },
      {
        type: 'record',
        kind: 'penalty',
        sourceSystem: 'scjg',
        sourceId: 'PEN-1',
        uscc: USCC,
        severity: 'awful',
        occurredOn: '2026-06-01',
      },
    ];

    const first = await post('/ingest/records', { rows }, INGEST_KEY);
    const again = await post('/ingest/records', { rows }, INGEST_KEY);

    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      total: 3,
      inserted: 2,
      rejected: 1,
      errors: [{ line: 3, field: 'severity' }],
    });
    expect(await again.json()).toMatchObject({ total: 3, inserted: 0, unchanged: 2, rejected: 1 });
    const [s] = await t.db.query<{ grade: string }>(
      `SELECT s.grade FROM entity_score s JOIN entity e ON e.id = s.entity_id WHERE e.uscc = $1`,
      [USCC],
    );
    expect(s?.grade).toMatch(/^[A-E]$/);
  });

  it('lets a bank read an evaluation only with its scope, and never leaks internals', async () => {
    const [e] = await t.db.query<{ id: number }>(`SELECT id FROM entity WHERE uscc = $1`, [USCC]);

    const ok = await fetch(`${base}/entities/${e!.id}/evaluation`, { headers: { 'x-api-key': READ_ONLY_KEY } });
    const denied = await fetch(`${base}/entities/${e!.id}/evaluation`, { headers: { 'x-api-key': INGEST_KEY } });

    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { total: number; reproduced: boolean; indicators: { points: number }[] };
    expect(body.reproduced).toBe(true);
    expect(body.indicators.reduce((a, i) => a + i.points, 0)).toBe(body.total);
    expect(denied.status).toBe(403);
  });
});
