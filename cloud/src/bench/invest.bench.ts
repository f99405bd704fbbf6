import { screenQuery, type OwnershipGraph } from '@heihe/shared';
import { Client } from 'pg';
import { SystemClock } from '../common/clock';
import { loadConfig } from '../config/config';
import { Database } from '../db/database';
import { migrate } from '../db/migrator';
import { MIGRATIONS_DIR } from '../db/open';
import {
  ChecksService,
  InvestRepository,
  InvestService,
  OwnershipStore,
  OwnershipWarmer,
  RelatedRepository,
} from '../invest';
import type { Principal } from '../auth';
import { ModelRepository } from '../scoring';
import { arg, psql } from './bench-db';
import { SEED_SQL, withSeededDatabase } from './cycle.bench';

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
INSERT INTO shareholder (entity_id, bucket, source_system, source_id, holder_name, holder_uscc, holder_person_id, ratio, amount)
SELECT e, (SELECT bucket FROM entity WHERE id = e), 'bench', e || '-h1', '基准主体' || h, '91' || lpad(h::text, 16, '0'), NULL, 0.6, 6e5
FROM (SELECT e, ((e::bigint * 7919) % ${n}) + 1 AS h FROM generate_series(1, ${n}) e) s WHERE h <> e;
INSERT INTO shareholder (entity_id, bucket, source_system, source_id, holder_name, holder_uscc, holder_person_id, ratio, amount)
SELECT e, (SELECT bucket FROM entity WHERE id = e), 'bench', e || '-h2', '基准主体' || h, '91' || lpad(h::text, 16, '0'), NULL, 0.3, 3e5
FROM (SELECT e, ((e::bigint * 104729) % ${n}) + 1 AS h FROM generate_series(1, ${n}) e WHERE e % 10 < 3) s WHERE h <> e;
INSERT INTO shareholder (entity_id, bucket, source_system, source_id, holder_name, holder_uscc, holder_person_id, ratio, amount)
SELECT e, (SELECT bucket FROM entity WHERE id = e), 'bench', e || '-p', '基准人员', NULL, ((e::bigint * 31) % ${people}) + 1, CASE WHEN e % 10 < 3 THEN 0.1 ELSE 0.4 END, 1e5
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

/** p50 and p99 of a sample against its baseline's, and their ratios. */
const row = (xs: number[], base: number[]) => ({
  p50: ms(pct(xs, 50)),
  p99: ms(pct(xs, 99)),
  baselineP50: ms(pct(base, 50)),
  baselineP99: ms(pct(base, 99)),
  ratioP50: +(pct(xs, 50) / pct(base, 50)).toFixed(1),
  ratioP99: +(pct(xs, 99) / pct(base, 99)).toFixed(1),
});

/**
 * The baseline of a stored read: the answer's rows by key through the client (the stored row by its
 * key, then the shown nodes' cards and persons by id). Returns its milliseconds.
 */
async function answerRead(db: Database, repo: InvestRepository, entityId: number, graph: OwnershipGraph) {
  const shownIds = graph.nodes.flatMap((x) => (x.entityId === null ? [] : [x.entityId]));
  const personIds = graph.nodes.flatMap((x) => (x.kind === 'person' ? [Number(x.key.slice(1))] : []));
  const [t] = await timed(async () => {
    await db.prisma.ownershipResult.findUnique({
      where: { entityId_depth: { entityId, depth: 10 } },
      select: { result: true },
    });
    await Promise.all([repo.entitiesById(shownIds), repo.persons(personIds)]);
  });
  return t;
}

/**
 * npm run bench:invest [-- --entities 200000 --targets 200 --db <url> --no-screening]: on a seeded population
 * with the ownership above, for random targets: upward penetration to 10 levels (getOwnershipGraph's
 * work) and the risk scan of the related set at radius 2 (scanRisks' work, red flags included),
 * each against a baseline measured in the same run on the same target — the rows it needs read by
 * single indexed queries that already know the ids (the shareholder rows of the graph's nodes; the
 * risk records and cards of the related set). Penetration is stored on first read (ADR 0022): each
 * target is read cold (its stored result deleted first, so the read walks the graph, penetrates and
 * stores) and then warm (served from the stored result). Prints p50 / p99 in ms and the ratios.
 *
 * --db: a database on the bench server to keep between runs (created, migrated and seeded if it has
 * no entities yet; never dropped); without it a fresh one is seeded and dropped.
 */
async function main() {
  const n = arg('entities', 200_000);
  const targets = arg('targets', 200);
  const at = process.argv.indexOf('--db');
  if (at >= 0) {
    const url = process.argv[at + 1]!;
    const admin = new URL(url);
    const name = admin.pathname.slice(1);
    admin.pathname = '/postgres';
    const c = new Client({ connectionString: admin.toString() });
    await c.connect();
    const exists = (await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount;
    if (!exists) await c.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
    await c.end();
    await migrate({ kind: 'postgres', url }, { migrationsDir: MIGRATIONS_DIR });
    const db = await Database.open({ kind: 'postgres', url }, { poolSize: 2 });
    try {
      const [{ count }] = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM entity`);
      if (count === 0) {
        await new ModelRepository(db).ensureDefaultModel();
        process.stdout.write(`seeded ${n} entities × 15 records in ${psql(url, SEED_SQL(n)).toFixed(1)} s\n`);
        process.stdout.write(`ownership and posts in ${psql(url, GRAPH_SQL(n)).toFixed(1)} s\n`);
      } else if (count !== n) throw new Error(`${url} holds ${count} entities, not ${n}`);
      await run(db, n, targets);
    } finally {
      await db.close();
    }
    return;
  }
  await withSeededDatabase('invest', n, async (db, url) => {
    process.stdout.write(`ownership and posts in ${psql(url, GRAPH_SQL(n)).toFixed(1)} s\n`);
    await run(db, n, targets);
  });
}

async function run(db: Database, n: number, targets: number) {
  const clock = new SystemClock();
  const repo = new InvestRepository(db);
  const store = new OwnershipStore(repo, db, clock);
  const invest = new InvestService(repo, db, clock, store);
  const checks = new ChecksService(new RelatedRepository(db), repo, invest, db, clock, loadConfig({}));
  const ids = Array.from({ length: targets }, (_, i) => 1 + ((i * 2_654_435_761) % n));

  const sample = {
    cold: [] as number[],
    oneLevel: [] as number[],
    oneLevelRead: [] as number[],
    warm: [] as number[],
    graphRead: [] as number[],
    answerRead: [] as number[],
    scan: [] as number[],
    scanRead: [] as number[],
  };
  const size = {
    nodes: [] as number[],
    shown: [] as number[],
    holders: [] as number[],
    storedKb: [] as number[],
    related: [] as number[],
    findings: [] as number[],
  };
  const warm = ids.slice(0, 20);
  for (const [pass, list] of [
    ['warm', warm],
    ['measure', ids],
  ] as const) {
    for (const id of list) {
      // Cold: no stored result, so the read walks the graph, penetrates it and stores the view.
      await db.prisma.ownershipResult.deleteMany({ where: { entityId: id } });
      const [tc, graph] = await timed(() => invest.ownershipGraph(id, 10));
      // A first read of one level: the work of a target held by persons only, which the cycle leaves
      // to its first read (ADR 0026); its baseline, the target's shareholder rows by one indexed query.
      await db.prisma.ownershipResult.deleteMany({ where: { entityId: id, depth: 1 } });
      const [t1] = await timed(() => invest.ownershipGraph(id, 1));
      const [t1r] = await timed(() =>
        db.prisma.shareholder.findMany({
          where: { entityId: id },
          select: { holderUscc: true, holderPersonId: true, ratio: true },
        }),
      );
      const [tw, again] = await timed(() => invest.ownershipGraph(id, 10));
      if (again.computedAt !== graph.computedAt) throw new Error(`the second read of ${id} was not served stored`);
      // Baseline of the cold read: the whole graph's holdings and cards, read by id in one indexed
      // query each (the ids from the stored members: every company whose holders the walk read).
      const stored = await db.prisma.ownershipResult.findUniqueOrThrow({
        where: { entityId_depth: { entityId: id, depth: 10 } },
        select: { members: true },
      });
      const [tg] = await timed(async () => {
        const rows = await db.prisma.shareholder.findMany({
          where: { entityId: { in: stored.members } },
          select: { entityId: true, holderUscc: true, holderPersonId: true, ratio: true },
        });
        await repo.entitiesByUscc([...new Set(rows.flatMap((r) => (r.holderUscc ? [r.holderUscc] : [])))]);
      });
      // Baseline of the warm read: the answer's rows by key: the stored row, the shown nodes' cards
      // and persons.
      const ta = await answerRead(db, repo, id, graph);
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
        sample.cold.push(tc);
        sample.oneLevel.push(t1);
        sample.oneLevelRead.push(t1r);
        sample.warm.push(tw);
        sample.graphRead.push(tg);
        sample.answerRead.push(ta);
        sample.scan.push(ts);
        sample.scanRead.push(tr);
        size.nodes.push(graph.nodesTotal);
        size.shown.push(graph.nodes.length);
        size.holders.push(graph.holdersTotal);
        const [{ kb }] = await db.query<{ kb: number }>(
          `SELECT octet_length(result::text) / 1024.0 AS kb FROM ownership_result WHERE entity_id = $1 AND depth = 10`,
          [id],
        );
        size.storedKb.push(Number(kb));
        size.related.push(scan.related.length);
        size.findings.push(scan.findings.length);
      }
    }
  }
  const warming = await warmRanges(db, n, repo, store, invest);
  if (process.argv.includes('--explain')) await explainScreen(db, invest);
  // --no-screening: the penetration and the scan only (screening pages at 1M take minutes on a
  // loaded machine).
  const screening = process.argv.includes('--no-screening') ? null : await screen(invest, repo, targets);
  const report = {
    backend: db.backend,
    entities: n,
    targets,
    // The first read of a target walks, penetrates and stores; its baseline is reading the whole
    // graph's rows by id. Every later read is served stored until a shareholder write deletes it.
    penetrationOneLevelCold: row(sample.oneLevel, sample.oneLevelRead),
    penetrationDepth10Cold: {
      ...row(sample.cold, sample.graphRead),
      nodesP50: pct(size.nodes, 50),
      nodesMax: Math.max(...size.nodes),
      holdersMax: Math.max(...size.holders),
    },
    penetrationDepth10Warm: {
      ...row(sample.warm, sample.answerRead),
      ratioP99ToGraphRead: +(pct(sample.warm, 99) / pct(sample.graphRead, 99)).toFixed(2),
      shownP50: pct(size.shown, 50),
      shownMax: Math.max(...size.shown),
      storedKbP50: +pct(size.storedKb, 50).toFixed(1),
      storedKbMax: +Math.max(...size.storedKb).toFixed(1),
    },
    // What a cycle chunk does after its commit (ADR 0026), and the first reads after it.
    warming,
    riskScanRadius2: {
      ...row(sample.scan, sample.scanRead),
      relatedP50: pct(size.related, 50),
      relatedMax: Math.max(...size.related),
      findingsP50: pct(size.findings, 50),
    },
    screeningPage: screening && {
      ...row(screening.page, screening.read),
      pages: screening.page.length,
      matchingP50: pct(screening.matching, 50),
    },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

/** Consecutive ids per warming range: a fifth of a cycle chunk (5,000), so four ranges stay quick at 1M. */
const WARM_RANGE = 1000;

/**
 * Warming as a cycle chunk runs it (ADR 0026), over four ranges of WARM_RANGE consecutive ids
 * spread over the population, their stored results deleted first: the wall time per target stored
 * against the cold reads of the same run, the Node CPU it took, then every warmed target read once
 * as an officer's first read (each checked to be served stored) against the baseline of the warm
 * reads (the answer's rows by key).
 */
async function warmRanges(
  db: Database,
  n: number,
  repo: InvestRepository,
  store: OwnershipStore,
  invest: InvestService,
) {
  const warmer = new OwnershipWarmer(repo, store, 10);
  const perTarget: number[] = [];
  const firstRead: number[] = [];
  const baseline: number[] = [];
  let stored = 0;
  let inRanges = 0;
  let cpuMs = 0;
  let wallMs = 0;
  for (let k = 0; k < 4; k++) {
    const from = 1 + Math.floor(((k + 0.5) * n) / 4) - WARM_RANGE / 2;
    const range = { fromBucket: 0, toBucket: 4095, from, to: from + WARM_RANGE - 1 };
    await db.prisma.ownershipResult.deleteMany({ where: { entityId: { gte: range.from, lte: range.to } } });
    const cpu = process.cpuUsage();
    const [t, w] = await timed(() => warmer.warm(range));
    if (w.failed || w.skipped) throw new Error(`warming ${JSON.stringify(range)}: ${JSON.stringify(w)}`);
    const count = w.stored;
    const used = process.cpuUsage(cpu);
    cpuMs += (used.user + used.system) / 1000;
    wallMs += t;
    stored += count;
    inRanges += WARM_RANGE;
    if (count) perTarget.push(t / count);
    const rows = await db.prisma.ownershipResult.findMany({
      where: { entityId: { gte: range.from, lte: range.to }, depth: 10 },
      select: { entityId: true, computedAt: true },
    });
    for (const r of rows) {
      const [tr, graph] = await timed(() => invest.ownershipGraph(r.entityId, 10));
      if (graph.computedAt !== r.computedAt.toISOString()) throw new Error(`${r.entityId} was not served stored`);
      firstRead.push(tr);
      baseline.push(await answerRead(db, repo, r.entityId, graph));
    }
  }
  return {
    entitiesInRanges: inRanges,
    stored,
    wallMsPerTarget: ms(wallMs / Math.max(1, stored)),
    nodeCpuMsPerTarget: ms(cpuMs / Math.max(1, stored)),
    // The whole population at this rate, one worker: what a first full warm costs.
    wallHoursForAll: +(((wallMs / Math.max(1, stored)) * (stored / inRanges) * n) / 3_600_000).toFixed(2),
    firstReadAfterWarming: row(firstRead, baseline),
  };
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
