import fs from 'node:fs';
import { CycleService } from '../scoring';
import { arg, psql } from './bench-db';
import { READ_FLOOR_UNSORTED, timedCycle, withSeededDatabase } from './cycle.bench';

/** Fields 14-17 of /proc/<pid>/stat (user, system, and the same for reaped children), in seconds. */
function statOf(statFile: string): { comm: string; own: number; reaped: number } | null {
  try {
    const s = fs.readFileSync(statFile, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return {
      comm: s.slice(s.indexOf('(') + 1, s.lastIndexOf(')')),
      own: (+f[11]! + +f[12]!) / 100,
      reaped: (+f[13]! + +f[14]!) / 100,
    };
  } catch {
    return null; // the process or thread ended meanwhile
  }
}

/**
 * CPU seconds of the local PostgreSQL server (when it runs on this machine): every live `postgres`
 * process, plus what the postmaster has reaped of its children. Processes that end during a
 * measurement count too: parallel workers, which a query starts and ends, and backends that close.
 * (This is how the parallel workers and JIT of ADR 0009 showed up: the live processes alone
 * accounted for two thirds of the server's time.)
 */
function postgresCpu(): number {
  let total = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const c = statOf(`/proc/${pid}/stat`);
    if (c?.comm === 'postgres') total += c.own + c.reaped;
  }
  return total;
}

/** CPU seconds of each thread of this process, by thread id ("main" for the main thread). */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    const c = statOf(`/proc/self/task/${tid}/stat`);
    if (c) out.set(tid === String(process.pid) ? 'main' : tid, c.own);
  }
  return out;
}

/**
 * npm run bench:cycle-profile [-- --entities 200000 --runs 3]: where a cycle's time goes, on one
 * seeded database, run after run. Each run empties the cycle's tables, checkpoints, times the
 * unsorted COPY of the input (the floor), then the first cycle and the next day's, and prints for
 * each its wall time, the ratio to the floor, the CPU seconds of PostgreSQL (local server only,
 * from /proc), of this process's main thread and of each of its other threads (the scoring thread
 * first, then V8's helpers). For comparing two versions of the code on the same machine in the same hour.
 */
async function main() {
  const n = arg('entities', 200_000);
  const runs = arg('runs', 3);
  await withSeededDatabase('cycle_profile', n, async (db, url) => {
    const cycles = new CycleService(db);
    const measure = async (label: string, floor: number, at?: Date) => {
      const pg = postgresCpu();
      const threads = threadCpu();
      const { seconds: wall } = await timedCycle(cycles, at);
      const used = [...threadCpu()].map(([tid, s]) => [tid, +(s - (threads.get(tid) ?? 0)).toFixed(2)] as const);
      const mainThread = used.find(([tid]) => tid === 'main')?.[1] ?? 0;
      const perThread = used
        .filter(([tid, s]) => tid !== 'main' && s >= 0.05)
        .map(([, s]) => s)
        .sort((a, b) => b - a);
      process.stdout.write(
        `${JSON.stringify({
          cycle: label,
          seconds: +wall.toFixed(2),
          ratioToUnsortedCopy: +(wall / floor).toFixed(2),
          postgresCpuSeconds: +(postgresCpu() - pg).toFixed(2),
          mainThreadCpuSeconds: mainThread,
          otherThreadsCpuSeconds: perThread,
        })}\n`,
      );
    };
    for (let run = 1; run <= runs; run++) {
      // Back to a never-scored population: every entity with its empty score row.
      psql(url, 'TRUNCATE evaluation, entity_score, outbox, cycle_chunk, scoring_cycle CASCADE');
      psql(url, 'INSERT INTO entity_score (entity_id, bucket) SELECT id, bucket FROM entity');
      psql(url, 'CHECKPOINT');
      psql(url, READ_FLOOR_UNSORTED);
      const floor = psql(url, READ_FLOOR_UNSORTED);
      process.stdout.write(`run ${run}: unsorted COPY of the input ${floor.toFixed(2)} s\n`);
      await measure('first', floor);
      await measure('next day', floor, new Date(Date.now() + 86_400_000));
    }
    await cycles.close();
  });
}

if (require.main === module)
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
