import type { CreditFact } from '@heihe/shared';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/test-db';
import { entitiesSql } from '../testing/seed-sql';
import { factsAsOf, factsInRangeAsOf, forEachFactsInRange } from './facts.repository';

const AS_OF = new Date('2026-11-01T00:00:00Z');
const BEFORE = '2026-10-01T00:00:00Z';
const AFTER = '2026-12-01T00:00:00Z';

/** Entities 1–6; 4 has no records. Versions are inserted round-robin across entities, so the heap is not in entity order. */
const SEED = `${entitiesSql(6)}
INSERT INTO credit_record (id, entity_id, bucket, kind, source_system, source_id)
SELECT r, e, (SELECT bucket FROM entity WHERE id = e), k::"RecordKind", 'spec', r::text
FROM (VALUES (1, 1, 'registration'), (2, 2, 'penalty'), (3, 3, 'honour'), (4, 5, 'tax_grade'), (5, 1, 'penalty'),
             (6, 2, 'annual_report'), (7, 3, 'social_insurance'), (8, 5, 'welfare'), (9, 1, 'tax_paid'),
             (10, 6, 'licence'), (11, 6, 'abnormal_listing')) AS v(r, e, k);
INSERT INTO credit_record_version (id, record_id, entity_id, bucket, kind, version, status, category, severity, amount, grade,
                                   occurred_on, valid_from, valid_to, payload, content_hash, recorded_at, superseded_at)
SELECT row_number() OVER (), v.r, c.entity_id, c.bucket, c.kind, v.ver, v.status::"RecordStatus", v.category, v.severity::"Severity",
       v.amount, v.grade, v.occurred::date, v.valid_from::date, v.valid_to::date, '{}'::jsonb, md5(v.r::text || v.ver) || md5('x'),
       v.recorded::timestamptz, v.superseded::timestamptz
FROM (VALUES
  (1, 1, 'active', NULL, NULL, 48105453.3, NULL, '2012-02-29', '2012-02-29', NULL, '${BEFORE}', NULL),
  (2, 1, 'active', NULL, 'general', NULL, NULL, '2025-10-02', '2025-10-03', '2027-10-02', '${BEFORE}', '${BEFORE}'),
  (2, 2, 'under_objection', NULL, 'serious', NULL, NULL, '2025-10-02', '2025-10-03', '2027-10-02', '${BEFORE}', NULL),
  (3, 1, 'active', E'市级\\t"表彰"\\\\', NULL, NULL, NULL, '2024-12-31', '2024-12-31', NULL, '${BEFORE}', NULL),
  (4, 1, 'active', NULL, NULL, NULL, 'A', '2026-01-01', '2026-01-01', 'infinity', '${BEFORE}', '${AFTER}'),
  (5, 1, 'repaired', NULL, 'minor', NULL, NULL, '2026-03-15', '2026-03-15', NULL, '${BEFORE}', NULL),
  (6, 1, 'active', 'on_time', NULL, 2025, NULL, '2026-05-20', '2026-05-20', NULL, '${BEFORE}', NULL),
  (7, 1, 'active', 'arrears', NULL, 0.01, NULL, '1999-12-31', '2000-01-01', NULL, '${BEFORE}', NULL),
  (8, 1, 'active', 'charity', NULL, NULL, NULL, '2026-06-01', '2026-06-01', NULL, '${AFTER}', NULL),
  (9, 1, 'revoked', NULL, NULL, 12345678901234.25, NULL, '2026-10-31', '2026-10-31', '2026-11-01', '${BEFORE}', NULL),
  (10, 1, 'expired', '', NULL, -0.5, 'B+', '0044-03-15', '1970-01-01', '9999-12-31', '${BEFORE}', NULL),
  (11, 1, 'active', NULL, NULL, NULL, NULL, '2026-11-01', '2026-11-01', NULL, '${BEFORE}', NULL)
) AS v(r, ver, status, category, severity, amount, grade, occurred, valid_from, valid_to, recorded, superseded)
JOIN credit_record c ON c.id = v.r
ORDER BY v.r % 3, v.r;`;

function byRecord(facts: readonly CreditFact[]): CreditFact[] {
  return [...facts].sort((a, b) => a.recordId - b.recordId || a.version - b.version);
}

describe.each(testBackends())('reading facts by entity range on %s', (backend) => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase(backend);
    for (const statement of SEED.split(';\n').filter((s) => s.trim())) await t.db.query(statement);
  }, 60_000);
  afterAll(() => t.drop());

  it('gives every entity of the range, in id order, exactly the facts the per-entity query gives', async () => {
    const ids: number[] = [];
    const got = new Map<number, CreditFact[]>();

    await t.db.tx((sql) =>
      forEachFactsInRange(sql, [1, 2, 3, 4, 5, 6], 1, 6, AS_OF, (id, facts) => {
        ids.push(id);
        got.set(id, byRecord(facts));
      }),
    );

    const want = await factsAsOf(t.db, [1, 2, 3, 4, 5, 6], AS_OF);
    expect(ids).toEqual([1, 2, 3, 4, 5, 6]);
    for (const [id, facts] of want) expect(got.get(id)).toEqual(byRecord(facts));
  });

  it('decodes every column exactly: nulls, escapes, unicode, decimals, infinity and far dates', async () => {
    const facts = await factsInRangeAsOf(t.db, 1, 6, AS_OF);

    expect(byRecord([...facts.values()].flat())).toEqual([
      expect.objectContaining({ recordId: 1, amount: 48105453.3, occurredOn: '2012-02-29', validTo: null }),
      expect.objectContaining({ recordId: 2, version: 2, status: 'under_objection', severity: 'serious' }),
      expect.objectContaining({ recordId: 3, category: '市级\t"表彰"\\', severity: null, amount: null }),
      expect.objectContaining({ recordId: 4, grade: 'A', validTo: 'infinity' }),
      expect.objectContaining({ recordId: 5, status: 'repaired', severity: 'minor' }),
      expect.objectContaining({ recordId: 6, category: 'on_time', amount: 2025 }),
      expect.objectContaining({ recordId: 7, amount: 0.01, occurredOn: '1999-12-31', validFrom: '2000-01-01' }),
      expect.objectContaining({ recordId: 9, amount: 12345678901234.25, validTo: '2026-11-01' }),
      expect.objectContaining({ recordId: 10, category: '', amount: -0.5, grade: 'B+', occurredOn: '0044-03-15' }),
      expect.objectContaining({ recordId: 11, kind: 'abnormal_listing', category: null, grade: null }),
    ]);
    expect(facts.get(4)).toEqual([]);
  });

  it('leaves out entities outside the range and versions not yet known or already superseded', async () => {
    const facts = await factsInRangeAsOf(t.db, 2, 3, AS_OF);

    expect([...facts.keys()]).toEqual([2, 3]);
    expect(
      [...facts.values()]
        .flat()
        .map((f) => `${f.recordId}:${f.version}`)
        .sort(),
    ).toEqual(['2:2', '3:1', '6:1', '7:1']);
  });
});
