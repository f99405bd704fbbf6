import { createApiClient, type Principal } from '../auth';
import { SystemClock } from '../common/clock';
import { Database } from '../db/database';
import { migrate } from '../db/migrator';
import { MIGRATIONS_DIR } from '../db/open';
import { IncentivesService, ResultFeedService } from '../results';
import { ModelRepository } from '../scoring';
import { arg, freshBenchDatabase, psql, secs } from './bench-db';
import { usccKey } from '../db/shard';

/**
 * n entities with a current score, and m evaluations each with its feed event (as the relay's
 * results handler writes them from the evaluation writer's grade.changed), set-wise.
 */
const SEED_SQL = (n: number, m: number) => `
INSERT INTO entity (id, uscc, bucket, uscc_checksum_ok, name, type, established_on, registered_capital, paid_in_capital, industry_code, region_code, updated_at)
SELECT e, '91' || lpad(e::text, 16, '0'), uscc_bucket('91' || lpad(e::text, 16, '0')), false, '基准主体' || e, '有限责任公司', date '2020-01-01', 1e6, 1e6,
  (ARRAY['C1310','A0111','F5123','E4710'])[1 + e % 4], (ARRAY['231102','231181','231183'])[1 + e % 3], now()
FROM generate_series(1, ${n}) e;
SELECT setval(pg_get_serial_sequence('entity', 'id'), ${n});
INSERT INTO evaluation (id, entity_id, bucket, model_version, as_of, trigger, total, grade, groups, indicators, effects)
SELECT i, 1 + i % ${n}, uscc_bucket('91' || lpad((1 + i % ${n})::text, 16, '0')), 1, timestamptz '2026-01-01 00:00:00+08' + i * interval '1 second', 'bench', 600 + i % 400,
  (ARRAY['A','B','C','D','E'])[1 + i % 5], '[]', '[]', '[]'
FROM generate_series(1, ${m}) i;
SELECT setval('evaluation_id_seq', ${m});
INSERT INTO result_feed_event (evaluation_id, entity_id, from_grade, to_grade)
SELECT id, entity_id, 'C', grade FROM evaluation ORDER BY id;
UPDATE entity_score s SET evaluation_id = v.id, grade = v.grade, total = v.total, model_version = 1, as_of = v.as_of
FROM (SELECT DISTINCT ON (entity_id) entity_id, id, grade, total, as_of FROM evaluation ORDER BY entity_id, id DESC) v
WHERE v.entity_id = s.entity_id;
ANALYZE;`;

/** The least a feed page costs: the same rows by a bare keyset read (no snapshot guard, cursor, hash or audit). */
const BARE_PAGE = `
  SELECT f.seq::text AS seq, f.evaluation_id::text, f.from_grade, f.to_grade, e.total, e.model_version, e.as_of,
    n.uscc, n.name, n.region_code, n.industry_code
  FROM result_feed_event f JOIN evaluation e ON e.id = f.evaluation_id JOIN entity n ON n.id = f.entity_id
  WHERE f.seq > $1 ORDER BY f.seq LIMIT $2`;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(2);
}
const ms = (t: bigint) => secs(t) * 1000;

/**
 * npm run bench -- feeds [--events 1000000] [--entities 100000] [--page 1000] [--checks 2000]:
 * pages the whole change feed as a department would (listResultFeed's service: snapshot guard,
 * signed cursor, hashes, an audit row per page) and times each page against the same page read
 * bare, alternating; then checkIncentives against a bare read of the entity's score.
 */
async function main() {
  const events = arg('events', 1_000_000);
  const entities = arg('entities', 100_000);
  const page = arg('page', 1000);
  const checks = arg('checks', 2000);
  const bench = await freshBenchDatabase('feeds');
  await migrate({ kind: 'postgres', url: bench.url }, { migrationsDir: MIGRATIONS_DIR });
  const db = await Database.open({ kind: 'postgres', url: bench.url }, { poolSize: 4 });
  try {
    await new ModelRepository(db).ensureDefaultModel();
    process.stdout.write(
      `seeded ${entities} entities, ${events} evaluations and feed events in ${psql(bench.url, SEED_SQL(entities, events)).toFixed(1)} s\n`,
    );
    const clock = new SystemClock();
    const c = await createApiClient(db, {
      name: '基准部门',
      kind: 'department',
      scopes: ['results:feed', 'incentives:read'],
      purpose: '基准测试',
      legalBasis: '基准测试',
    });
    const who: Principal = {
      kind: 'api_client',
      clientId: c.id,
      name: '基准部门',
      scopes: ['results:feed', 'incentives:read'],
    };
    const feed = new ResultFeedService(db, clock, { JWT_SECRET: 'bench-secret-'.padEnd(40, 'x') });
    const feedMs: number[] = [];
    const bareMs: number[] = [];
    let cursor: string | undefined;
    let lastSeq = '0';
    let items = 0;
    for (;;) {
      let t = process.hrtime.bigint();
      const bare = await db.query<{ seq: string }>(BARE_PAGE, [lastSeq, page]);
      bareMs.push(ms(t));
      t = process.hrtime.bigint();
      const p = await feed.feed(cursor, page, who);
      feedMs.push(ms(t));
      if (!p.items.length) break;
      items += p.items.length;
      cursor = p.nextCursor;
      lastSeq = bare[bare.length - 1]?.seq ?? lastSeq;
    }
    if (items !== events) throw new Error(`the feed served ${items} of ${events} events`);

    const incentives = new IncentivesService(db, clock, { SCORING_CYCLE_AT: 'off' });
    const checkMs: number[] = [];
    const readMs: number[] = [];
    for (let i = 0; i < checks; i++) {
      const uscc = `91${String(1 + Math.floor(Math.random() * entities)).padStart(16, '0')}`;
      let t = process.hrtime.bigint();
      await db.prisma.entity.findUnique({
        where: usccKey(uscc),
        select: { id: true, score: { select: { grade: true } } },
      });
      readMs.push(ms(t));
      t = process.hrtime.bigint();
      await incentives.check(uscc, i % 2 ? 'XK-0001' : 'QT-0001', who);
      checkMs.push(ms(t));
    }
    const r = {
      events,
      pages: feedMs.length,
      pageSize: page,
      feedPageMs: { p50: pct(feedMs, 50), p99: pct(feedMs, 99) },
      barePageMs: { p50: pct(bareMs, 50), p99: pct(bareMs, 99) },
      feedP99OverBare: +(pct(feedMs, 99) / pct(bareMs, 99)).toFixed(2),
      checkIncentivesMs: { p50: pct(checkMs, 50), p99: pct(checkMs, 99), n: checks },
      bareScoreReadMs: { p50: pct(readMs, 50), p99: pct(readMs, 99) },
      checkP99OverRead: +(pct(checkMs, 99) / pct(readMs, 99)).toFixed(2),
    };
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    process.stdout.write(
      `a feed page of ${page}: p99 ${r.feedPageMs.p99} ms (goal ≤ 50 ms), ${r.feedP99OverBare}× the bare keyset read of the same rows; ` +
        `checkIncentives p99 ${r.checkIncentivesMs.p99} ms (goal ≤ 10 ms), ${r.checkP99OverRead}× a bare read of the entity's score\n`,
    );
  } finally {
    await db.close();
    await bench.drop();
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
