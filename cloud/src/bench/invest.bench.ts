import { screenQuery } from '@heihe/shared';
import { Client } from 'pg';
import { SystemClock } from '../common/clock';
import { loadConfig } from '../config/config';
import type { Database } from '../db/database';
import { ChecksService, InvestRepository, InvestService, RelatedRepository } from '../invest';
import type { Principal } from '../auth';
import { arg, psql } from './bench-db';
import { withSeededDatabase } from './cycle.bench';

/**
 * Industry codes the bench entities get, evenly: every class of Heihe's key chains (the
 * industry_chain migration: 大豆全产业链 is 6 of them, so ~14% of entities) and as many outside
 * any chain (retail, catering, building, transport, services).
 */
const INDUSTRY_CODES = [
  'A0121',
  'C1329',
  'C1331',
  'C1392',
  'F5111',
  'F5127',
  'A0132',
  'C1731',
  'C2740',
  'A0159',
  'C1523',
  'B0610',
  'B0911',
  'C3110',
  'C1310',
  'C2011',
  'F5181',
  'F5191',
  'D4415',
  'C3825',
  'R8910',
  'H6110',
  'G5431',
  'G5810',
  'F5212',
  'F5261',
  'H6210',
  'E4720',
  'E4813',
  'A0111',
  'A0311',
  'G5430',
  'I6510',
  'K7010',
  'L7212',
  'O8010',
  'M7320',
  'F5292',
  'G5920',
  'P8310',
  'Q8411',
  'O8111',
];

/**
 * Scores as a cycle leaves them (ADR 0008: updates of the rows the trigger opened): 95% scored, the
 * total a sum of three uniforms (600–900, most around 750: ~20% B or better with the plan's
 * cut-offs A 850, B 790, C 730, D 670), 5% not yet evaluated.
 */
const SCORE_SQL = `
UPDATE entity_score s SET evaluation_id = s.entity_id, model_version = 1, as_of = now() - interval '1 day',
  total = t.total, grade = CASE WHEN t.total >= 850 THEN 'A' WHEN t.total >= 790 THEN 'B' WHEN t.total >= 730 THEN 'C'
                                WHEN t.total >= 670 THEN 'D' ELSE 'E' END
FROM (SELECT entity_id, (600 + 100 * (random() + random() + random()))::int AS total FROM entity_score) t
WHERE t.entity_id = s.entity_id AND s.entity_id % 20 <> 7;`;

/**
 * The ownership and ties of the bench population, set-wise: one person per ten entities, each the
 * legal representative of ten; every entity held 60% by a pseudo-random other entity, 30% of them
 * by a second one (so holdings branch, meet and close cycles), and the rest by a person.
 */
const GRAPH_SQL = (n: number) => {
  const people = Math.max(1, Math.floor(n / 10));
  return `
SELECT setseed(0.17);
INSERT INTO person (id, name, id_number_cipher, id_number_hash, id_number_masked)
SELECT p, '基准人员' || p, 'bench', lpad(to_hex(p), 64, '0'), '231102**********' || lpad((p % 100)::text, 2, '0')
FROM generate_series(1, ${people}) p;
SELECT setval(pg_get_serial_sequence('person', 'id'), ${people});
UPDATE entity SET legal_rep_id = (id % ${people}) + 1,
  industry_code = (ARRAY[${INDUSTRY_CODES.map((c) => `'${c}'`).join(',')}])[1 + (id::bigint * 2654435761 % ${INDUSTRY_CODES.length})],
  region_code = (ARRAY['231102','231123','231124','231181','231182','231183'])[1 + (id::bigint * 40503 % 6)],
  registered_capital = (10 ^ (5 + 3.5 * random()))::numeric(20,2);
${SCORE_SQL}
INSERT INTO shareholder (entity_id, source_system, source_id, holder_name, holder_uscc, holder_person_id, ratio, amount)
SELECT e, 'bench', e || '-h1', '基准主体' || h, '91' || lpad(h::text, 16, '0'), NULL, 0.6, 6e5
FROM (SELECT e, ((e::bigint * 7919) % ${n}) + 1 AS h FROM generate_series(1, ${n}) e) s WHERE h <> e;
INSERT INTO shareholder (entity_id, source_system, source_id, holder_name, holder_uscc, holder_person_id, ratio, amount)
SELECT e, 'bench', e || '-h2', '基准主体' || h, '91' || lpad(h::text, 16, '0'), NULL, 0.3, 3e5
FROM (SELECT e, ((e::bigint * 104729) % ${n}) + 1 AS h FROM generate_series(1, ${n}) e WHERE e % 10 < 3) s WHERE h <> e;
INSERT INTO shareholder (entity_id, source_system, source_id, holder_name, holder_uscc, holder_person_id, ratio, amount)
SELECT e, 'bench', e || '-p', '基准人员', NULL, ((e::bigint * 31) % ${people}) + 1, CASE WHEN e % 10 < 3 THEN 0.1 ELSE 0.4 END, 1e5
FROM generate_series(1, ${n}) e;
ANALYZE;`;
};

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = process.hrtime.bigint();
  const r = await fn();
  return [Number(process.hrtime.bigint() - t) / 1e6, r];
}

const ms = (x: number) => +x.toFixed(2);

/**
 * npm run bench:invest [-- --entities 200000 --targets 200]: on a seeded population with the
 * ownership above, for random targets: upward penetration to 10 levels (getOwnershipGraph's work)
 * and the risk scan of the related set at radius 2 (scanRisks' work, red flags included), each
 * against a baseline measured in the same run on the same target — the rows it needs read by
 * single indexed queries that already know the ids (the shareholder rows of the graph's nodes; the
 * risk records and cards of the related set). Prints p50 / p99 in ms and the ratios.
 */
async function main() {
  const n = arg('entities', 200_000);
  const targets = arg('targets', 200);
  await withSeededDatabase('invest', n, async (db, url) => {
    process.stdout.write(`ownership and posts in ${psql(url, GRAPH_SQL(n)).toFixed(1)} s\n`);
    await run(db, n, targets);
  });
}

async function run(db: Database, n: number, targets: number) {
  const clock = new SystemClock();
  const repo = new InvestRepository(db);
  const invest = new InvestService(repo, db, clock);
  const checks = new ChecksService(new RelatedRepository(db), repo, invest, db, clock, loadConfig({}));
  const ids = Array.from({ length: targets }, (_, i) => 1 + ((i * 2_654_435_761) % n));

  const sample = {
    penetrate: [] as number[],
    graphRead: [] as number[],
    scan: [] as number[],
    scanRead: [] as number[],
  };
  const size = { nodes: [] as number[], related: [] as number[], findings: [] as number[] };
  const warm = ids.slice(0, 20);
  for (const [pass, list] of [
    ['warm', warm],
    ['measure', ids],
  ] as const) {
    for (const id of list) {
      const [tp, graph] = await timed(() => invest.ownershipGraph(id, 10));
      const nodeIds = graph.nodes.flatMap((x) => (x.entityId === null ? [] : [x.entityId]));
      // Baseline: the same holdings and cards, read by id in one indexed query each.
      const [tg] = await timed(async () => {
        await db.prisma.shareholder.findMany({
          where: { entityId: { in: nodeIds } },
          select: { entityId: true, holderUscc: true, holderPersonId: true, ratio: true },
        });
        await repo.entitiesById(nodeIds);
      });
      const [ts, scan] = await timed(() => checks.riskScan(id, 2));
      const relatedIds = scan.related.map((r) => r.entityId);
      const [tr] = await timed(async () => {
        await db.prisma.creditRecordVersion.findMany({
          where: { entityId: { in: relatedIds }, supersededAt: null },
          select: { recordId: true, kind: true, status: true, occurredOn: true, validTo: true },
        });
        await repo.entitiesById(relatedIds);
      });
      if (pass === 'measure') {
        sample.penetrate.push(tp);
        sample.graphRead.push(tg);
        sample.scan.push(ts);
        sample.scanRead.push(tr);
        size.nodes.push(graph.nodes.length);
        size.related.push(scan.related.length);
        size.findings.push(scan.findings.length);
      }
    }
  }
  const row = (xs: number[], base: number[]) => ({
    p50: ms(pct(xs, 50)),
    p99: ms(pct(xs, 99)),
    baselineP50: ms(pct(base, 50)),
    baselineP99: ms(pct(base, 99)),
    ratioP50: +(pct(xs, 50) / pct(base, 50)).toFixed(1),
    ratioP99: +(pct(xs, 99) / pct(base, 99)).toFixed(1),
  });
  if (process.argv.includes('--explain')) await explainScreen(db, invest);
  const screening = await screen(invest, repo, targets);
  const report = {
    backend: db.backend,
    entities: n,
    targets,
    penetrationDepth10: {
      ...row(sample.penetrate, sample.graphRead),
      nodesP50: pct(size.nodes, 50),
      nodesMax: Math.max(...size.nodes),
    },
    riskScanRadius2: {
      ...row(sample.scan, sample.scanRead),
      relatedP50: pct(size.related, 50),
      relatedMax: Math.max(...size.related),
      findingsP50: pct(size.findings, 50),
    },
    screeningPage: {
      ...row(screening.page, screening.read),
      pages: screening.page.length,
      matchingP50: pct(screening.matching, 50),
    },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

const CHAINS = ['soybean', 'hemp', 'minerals', 'export_processing'] as const;
const CAPITAL = [
  [1e6, 5e7],
  [5e5, 1e8],
  [2e6, 2e7],
] as const;
const OFFICER: Principal = {
  kind: 'staff',
  staffId: 1,
  sessionId: 'bench',
  role: 'investment_officer',
  username: 'bench',
};

/**
 * Screening as the officer runs it (screenEntities through the service, audit row included): a
 * chain, grade ≥ B (the default credit gate, with its no-serious-listing check) and a registered
 * capital range, by score; the first page and four next pages by the keyset cursor, 20 a page. Its
 * baseline, right after each page: the same page's cards read by id in one indexed query.
 */
async function screen(invest: InvestService, repo: InvestRepository, targets: number) {
  const out = { page: [] as number[], read: [] as number[], matching: [] as number[] };
  const rounds = Math.max(1, Math.ceil(targets / 5));
  for (let i = -4; i < rounds; i++) {
    const k = i + 4;
    const [min, max] = CAPITAL[k % CAPITAL.length]!;
    let cursor: string | undefined;
    let seen = 0;
    for (let page = 0; page < 5; page++) {
      const [tp, r] = await timed(() =>
        invest.screen(
          screenQuery.parse({
            chain: CHAINS[k % CHAINS.length],
            minGrade: 'B',
            minRegisteredCapital: String(min),
            maxRegisteredCapital: String(max),
            cursor,
            limit: '20',
            purpose: '基准测试：筛选优质企业',
          }),
          OFFICER,
        ),
      );
      const pageIds = r.items.map((x) => x.entityId);
      // Baseline: the same page's cards, read by id in one indexed query.
      const [tr] = await timed(() => repo.entitiesById(pageIds));
      if (i >= 0) {
        out.page.push(tp);
        out.read.push(tr);
      }
      seen += r.items.length;
      if (!r.nextCursor) break;
      cursor = r.nextCursor;
    }
    if (i >= 0) out.matching.push(seen);
  }
  return out;
}

/**
 * --explain: the statements of a first screening page and of its fourth (caught at the pg driver),
 * each shown with EXPLAIN (ANALYZE, BUFFERS) on the same values, to see where a page's time goes.
 */
async function explainScreen(db: Database, invest: InvestService) {
  const caught: Array<{ text: string; values: unknown[] }> = [];
  const shown: typeof caught = [];
  const proto = Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const query = proto.query;
  proto.query = function (this: unknown, ...a: unknown[]) {
    const q = a[0] as { text?: string; values?: unknown[] } | string;
    const text = typeof q === 'string' ? q : q.text;
    if (text?.includes('entity_score'))
      caught.push({ text, values: (typeof q === 'string' ? a[1] : q.values) as unknown[] });
    return query.apply(this, a);
  };
  let cursor: string | undefined;
  for (let page = 0; page < 4; page++) {
    caught.length = 0;
    const r = await invest.screen(
      screenQuery.parse({
        chain: 'soybean',
        minRegisteredCapital: '1000000',
        maxRegisteredCapital: '50000000',
        cursor,
        purpose: '基准测试：筛选优质企业',
      }),
      OFFICER,
    );
    cursor = r.nextCursor ?? undefined;
    if (page === 0 || page === 3) shown.push(...caught.filter((c) => c.text.includes('ORDER BY')));
  }
  proto.query = query;
  for (const c of shown) {
    const plan = await db.prisma.$queryRawUnsafe<Array<{ 'QUERY PLAN': string }>>(
      `EXPLAIN (ANALYZE, BUFFERS) ${c.text}`,
      ...(c.values ?? []),
    );
    process.stdout.write(`${c.text}\n${plan.map((r) => r['QUERY PLAN']).join('\n')}\n\n`);
  }
}

if (require.main === module)
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
