import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** Clock ticks per second of /proc's CPU times. */
export const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** A process's CPU ticks so far (user + system, all its threads), or undefined once it has ended. */
export function processTicks(pid: number | string): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime
  } catch {
    return undefined; // ended between the listing and the read
  }
}

/**
 * Is this command line one of the PostgreSQL backends serving `dbName` (the server's side of the
 * work, which the process's own CPU time does not show)? A backend's title names its database.
 */
export function isBackendOf(dbName: string, cmdline: string): boolean {
  return cmdline.startsWith('postgres:') && cmdline.includes(` ${dbName} `);
}

/**
 * Sums the CPU used over a period by the processes `classify` puts in a category (null: not
 * measured), by category. Sampled every `everyMs`: each process counts from its first sight (from
 * 0 if it started within the period) to its last, so one that ends within the period loses at
 * most one interval of its time. A process is classified once, by its command line (a PostgreSQL
 * backend by its title; one still showing the postmaster's argv is looked at again).
 */
export class CpuMeter<C extends string> {
  private readonly kinds = new Map<string, C | null>();
  private readonly first = new Map<string, number>();
  private readonly last = new Map<string, { kind: C; ticks: number }>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly classify: (pid: string, cmdline: string) => C | null,
    everyMs = 500,
  ) {
    for (const [pid, s] of this.sample()) this.first.set(pid, s.ticks);
    this.timer = setInterval(() => this.take(), everyMs);
    this.timer.unref();
  }

  private sample(): Map<string, { kind: C; ticks: number }> {
    const out = new Map<string, { kind: C; ticks: number }>();
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let kind = this.kinds.get(pid);
      if (kind === undefined) {
        let cmd: string;
        try {
          cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        } catch {
          continue;
        }
        kind = this.classify(pid, cmd);
        if (!cmd.includes('/bin/postgres')) this.kinds.set(pid, kind);
      }
      if (kind === null) continue;
      const ticks = processTicks(pid);
      if (ticks !== undefined) out.set(pid, { kind, ticks });
    }
    return out;
  }

  private take() {
    for (const [pid, s] of this.sample()) this.last.set(pid, s);
  }

  /** Stops sampling; returns the CPU seconds used since the start, by category. */
  stop(): Partial<Record<C, number>> {
    clearInterval(this.timer);
    this.take();
    const out: Partial<Record<C, number>> = {};
    for (const [pid, s] of this.last)
      out[s.kind] = (out[s.kind] ?? 0) + (s.ticks - (this.first.get(pid) ?? 0)) / CLK_TCK;
    return out;
  }
}
