import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { Client } from 'pg';

/** A refusal or failure of the simulation, printed as is. */
export class SimError extends Error {}

/**
 * Throwaway PostgreSQL clusters on 127.0.0.1 for `npm run sim:shards`, made with Debian's
 * postgresql-common tools (pg_createcluster, pg_ctlcluster, pg_dropcluster): trust authentication,
 * small settings, one database each.
 */
export class SimCluster {
  readonly url: string;
  /** Set while the simulation has stopped this cluster on purpose: its clients wait instead of failing. */
  expectDown = false;

  private constructor(
    readonly version: string,
    readonly name: string,
    readonly port: number,
    readonly database: string,
  ) {
    this.url = `postgres://postgres@127.0.0.1:${port}/${database}`;
  }

  /** The PostgreSQL major version to make clusters with: SIM_PG_VERSION, else the newest installed. */
  static version(): string {
    if (process.env.SIM_PG_VERSION) return process.env.SIM_PG_VERSION;
    const installed = fs.existsSync('/usr/lib/postgresql')
      ? fs
          .readdirSync('/usr/lib/postgresql')
          .filter((v) => /^\d+$/.test(v) && fs.existsSync(`/usr/lib/postgresql/${v}/bin/postgres`))
      : [];
    if (!installed.length) throw new SimError('找不到 PostgreSQL 服务端（/usr/lib/postgresql/<版本>/bin/postgres）');
    return installed.sort((a, b) => Number(b) - Number(a))[0]!;
  }

  /** Refuses, with what to install, where postgresql-common's cluster tools are missing. */
  static requireTools(): void {
    for (const tool of ['pg_createcluster', 'pg_ctlcluster', 'pg_dropcluster', 'pg_lsclusters']) {
      const r = spawnSync(tool, ['--help'], { encoding: 'utf8' });
      if (r.error)
        throw new SimError(
          `sim:shards 需要 ${tool}（Debian/Ubuntu 的 postgresql-common 软件包，apt-get install postgresql-common postgresql），` +
            `在本机上创建模拟分片的 PostgreSQL 集群；未找到，拒绝运行`,
        );
    }
  }

  /**
   * Creates and starts cluster `<version>/<name>` on `port` with `settings` (postgresql.conf
   * parameters), and creates `database` in it. Refuses when the cluster exists already or the
   * port is taken, rather than touch a cluster it did not make.
   */
  static async create(
    version: string,
    name: string,
    port: number,
    database: string,
    settings: Record<string, string>,
  ): Promise<SimCluster> {
    const listed = run('pg_lsclusters', ['--no-header']).stdout.split('\n');
    if (listed.some((l) => l.split(/\s+/)[0] === version && l.split(/\s+/)[1] === name))
      throw new SimError(
        `集群 ${version}/${name} 已存在（上次运行被强行中断？）。确认它是模拟集群后删除：pg_dropcluster ${version} ${name} --stop`,
      );
    if (await portInUse(port)) throw new SimError(`端口 ${port} 已被占用，模拟集群 ${name} 无法使用它`);
    const opts = Object.entries(settings).flatMap(([k, v]) => ['-o', `${k}=${v}`]);
    run('pg_createcluster', [version, name, '-p', String(port), '--start', ...opts, '--', '--auth=trust']);
    const c = new SimCluster(version, name, port, database);
    const admin = new Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${database}`);
    } finally {
      await admin.end();
    }
    return c;
  }

  /** Stops the cluster; `immediate` is a crash (no checkpoint; recovery replays the WAL on start). */
  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    run('pg_ctlcluster', [this.version, this.name, 'stop', '-m', mode]);
  }

  start(): void {
    run('pg_ctlcluster', [this.version, this.name, 'start']);
  }

  /** Stops (immediately) and deletes the cluster with its data; never throws. */
  drop(): string | null {
    const r = spawnSync('pg_dropcluster', [this.version, this.name, '--stop'], { encoding: 'utf8' });
    return r.status === 0 ? null : `pg_dropcluster ${this.version} ${this.name}: ${r.stderr || r.error?.message}`;
  }

  /** Does a process command line belong to this cluster (its postmaster or any of its children)? */
  owns(cmdline: string): boolean {
    return (
      cmdline.startsWith(`postgres: ${this.version}/${this.name}: `) ||
      cmdline.includes(`/var/lib/postgresql/${this.version}/${this.name}\0`)
    );
  }

  /** Is this one of the cluster's backends serving its database (not a background process)? */
  backend(cmdline: string): boolean {
    return cmdline.startsWith(`postgres: ${this.version}/${this.name}: `) && cmdline.includes(` ${this.database} `);
  }
}

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw new SimError(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new SimError(`${cmd} ${args.join(' ')} 失败：${r.stderr.trim() || r.stdout.trim()}`);
  return r;
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
