import { base32Decode, createStaffAccount, totp } from '../auth';
import { bootstrap } from '../bootstrap';
import { SecretBox } from '../common/secret-box';
import { loadConfig } from '../config/config';
import { Database } from '../db/database';
import { migrate } from '../db/migrator';
import { MIGRATIONS_DIR } from '../db/open';
import { ModelRepository } from '../scoring';
import { arg, freshBenchDatabase, psql, secs } from './bench-db';

/**
 * n entities; `cases` open applications spread over the three kinds (4 : 3 : 3), each objection and
 * repair on a record of its own, statuses submitted / accepted / returned, deadlines from three
 * weeks overdue to three weeks ahead (so a share is escalated); and as many decided ones, which the
 * queue must pass over. Set-wise.
 */
const SEED_SQL = (n: number, cases: number) => {
  const o = Math.floor(cases * 0.4);
  const g = Math.floor(cases * 0.3);
  const r = cases - o - g;
  const open = `(ARRAY['submitted','accepted','returned'])[1 + i % 3]`;
  const status = (k: number) => `CASE WHEN i <= ${k} THEN ${open} ELSE (ARRAY['upheld','rejected'])[1 + i % 2] END`;
  const due = `current_date + ((i * 7919) % 43 - 21)`;
  return `
INSERT INTO entity (id, uscc, bucket, uscc_checksum_ok, name, type, established_on, registered_capital, paid_in_capital, industry_code, region_code, updated_at)
SELECT e, '91' || lpad(e::text, 16, '0'), uscc_bucket('91' || lpad(e::text, 16, '0')), false, '基准主体' || e, '有限责任公司', date '2020-01-01', 1e6, 1e6,
  (ARRAY['C1310','A0111','F5123','E4710'])[1 + e % 4], (ARRAY['231102','231181','231183'])[1 + e % 3], now()
FROM generate_series(1, ${n}) e;
SELECT setval(pg_get_serial_sequence('entity', 'id'), ${n});
INSERT INTO app_user (id, openid) VALUES (1, 'bench-openid');
INSERT INTO credit_record (id, entity_id, bucket, kind, source_system, source_id)
SELECT i, 1 + i % ${n}, uscc_bucket('91' || lpad((1 + i % ${n})::text, 16, '0')), 'penalty', 'bench', 'R' || i FROM generate_series(1, ${2 * (o + r)}) i;
INSERT INTO credit_record_version (record_id, entity_id, bucket, kind, version, severity, occurred_on, valid_from, payload, content_hash)
SELECT i, 1 + i % ${n}, uscc_bucket('91' || lpad((1 + i % ${n})::text, 16, '0')), 'penalty', 1, 'general', date '2026-06-01', date '2026-06-01',
  jsonb_build_object('summary', '黑市监罚〔2026〕' || i || '号'), md5(i::text) || md5(i::text)
FROM generate_series(1, ${2 * (o + r)}) i;
INSERT INTO objection (entity_id, record_id, record_version, user_id, ground, statement, status, filed_at, due_on, due_from)
SELECT 1 + i % ${n}, i, 1, 1, 'wrong', '基准异议', ${status(o)}, now() - (i % 500) * interval '1 minute', ${due}, ${due} - 9
FROM generate_series(1, ${2 * o}) i;
INSERT INTO repair_application (entity_id, record_id, record_version, user_id, statement, status, filed_at, due_on, due_from)
SELECT 1 + (${2 * o} + i) % ${n}, ${2 * o} + i, 1, 1, '基准修复申请', ${status(r)}, now() - (i % 500) * interval '1 minute', ${due}, ${due} - 9
FROM generate_series(1, ${2 * r}) i;
INSERT INTO good_info_report (entity_id, user_id, category, title, description, occurred_on, status, filed_at, due_on, due_from)
SELECT 1 + i % ${n}, 1, 'charity', '基准捐赠' || i, '基准', date '2026-06-01', ${status(g)}, now() - (i % 500) * interval '1 minute', ${due}, ${due} - 9
FROM generate_series(1, ${2 * g}) i;
ANALYZE;`;
};

/** The least the queue's first page costs: the open rows of the three tables, by deadline, with the entity's name. */
const BARE_PAGE = `
  SELECT q.kind, q.id, q.due_on, e.name FROM (
    SELECT 'objection' AS kind, id, entity_id, due_on FROM objection WHERE status IN ('submitted','accepted','returned')
    UNION ALL SELECT 'good_info', id, entity_id, due_on FROM good_info_report WHERE status IN ('submitted','accepted','returned')
    UNION ALL SELECT 'repair', id, entity_id, due_on FROM repair_application WHERE status IN ('submitted','accepted','returned')
  ) q JOIN entity e ON e.id = q.entity_id ORDER BY q.due_on, q.id LIMIT $1`;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(2);
}
const ms = (t: bigint) => secs(t) * 1000;

/**
 * npm run bench -- queue [--cases 10000] [--entities 5000] [--reads 1000]: the reviewers' queue as
 * the console asks for it — GET /api/review/queue (listReviewQueue) through the app `bootstrap`
 * assembles, signed in as a reviewer: the guard, the union of the three kinds with totals,
 * escalation, records, evidence, deadlines in working days, JSON — over `cases` open cases; the
 * first page of 50, and filtered by kind, region, industry and escalation, one request at a time,
 * alternating with the bare read of the same first page as one SQL query, in the same run.
 */
async function main() {
  const cases = arg('cases', 10_000);
  const entities = arg('entities', 5000);
  const reads = arg('reads', 1000);
  const bench = await freshBenchDatabase('queue');
  await migrate({ kind: 'postgres', url: bench.url }, { migrationsDir: MIGRATIONS_DIR });
  const db = await Database.open({ kind: 'postgres', url: bench.url }, { poolSize: 4 });
  let app: Awaited<ReturnType<typeof bootstrap>> | undefined;
  try {
    await new ModelRepository(db).ensureDefaultModel();
    process.stdout.write(
      `seeded ${entities} entities, ${cases} open and ${cases} decided applications in ${psql(bench.url, SEED_SQL(entities, cases)).toFixed(1)} s\n`,
    );
    const config = loadConfig({
      NODE_ENV: 'development',
      DATABASE_URL: bench.url,
      SCORING_CYCLE_AT: 'off',
      OUTBOX_RELAY_ENABLED: 'false',
    });
    app = await bootstrap(config, db, { logger: false });
    await app.listen(0, '127.0.0.1');
    const api = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api`;
    const staff = await createStaffAccount(db, new SecretBox(config.TOTP_ENCRYPTION_KEY), {
      username: 'bench-reviewer',
      displayName: '基准审核',
      role: 'reviewer',
      password: 'bench-password-2026',
      scrypt: { log2N: 12, r: 8, p: 1 },
    });
    const login = await fetch(`${api}/auth/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: staff.username,
        password: 'bench-password-2026',
        totp: totp(base32Decode(staff.totpSecret), Date.now()),
      }),
    });
    if (!login.ok) throw new Error(`staff sign-in: HTTP ${login.status} ${await login.text()}`);
    const headers = { authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}` };
    const get = async (query: string) => {
      const res = await fetch(`${api}/review/queue?limit=50${query}`, { headers });
      if (!res.ok) throw new Error(`listReviewQueue${query}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as { total: number; escalated: number; items: unknown[] };
    };
    const first = await get('');
    if (first.total !== cases || first.items.length !== 50)
      throw new Error(`the queue counts ${first.total} open cases (${first.items.length} on the page), not ${cases}`);
    const filters = ['', '&kind=objection', '&region=231181', '&industry=C', '&escalated=true', '', '', ''];
    const queueMs: number[] = [];
    const firstMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < reads; i++) {
      let t = process.hrtime.bigint();
      await db.query(BARE_PAGE, [50]);
      bareMs.push(ms(t));
      const f = filters[i % filters.length]!;
      t = process.hrtime.bigint();
      await get(f);
      const took = ms(t);
      queueMs.push(took);
      if (f === '') firstMs.push(took);
    }
    const r = {
      openCases: cases,
      escalated: first.escalated,
      reads,
      queueMs: { p50: pct(queueMs, 50), p99: pct(queueMs, 99) },
      firstPageMs: { p50: pct(firstMs, 50), p99: pct(firstMs, 99) },
      barePageMs: { p50: pct(bareMs, 50), p99: pct(bareMs, 99) },
      queueP99OverBare: +(pct(queueMs, 99) / pct(bareMs, 99)).toFixed(2),
    };
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    process.stdout.write(
      `listReviewQueue over ${cases} open cases: p99 ${r.queueMs.p99} ms (goal ≤ 100 ms; first page p99 ${r.firstPageMs.p99} ms), ` +
        `${r.queueP99OverBare}× the bare SQL read of the first page (p99 ${r.barePageMs.p99} ms)\n`,
    );
  } finally {
    // The app closes the database it was given; without one, close it here.
    if (app) await app.close();
    else await db.close();
    await bench.drop();
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
