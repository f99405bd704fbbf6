import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Where evidence bytes live. Keys are made by the server (`newKey`), never from a user's file
 * name, so nothing a user sends ever becomes part of a path. An abstract class, so it is its own
 * DI token: local disk by default; object storage (OSS, COS, S3) implements the same four calls.
 */
export abstract class FileStorage {
  /** Stores the bytes under the key, all or nothing: a failed put leaves no object behind. */
  abstract put(key: string, data: Buffer): Promise<void>;
  abstract get(key: string): Promise<Buffer>;
  /** Idempotent: deleting a missing key is not an error. */
  abstract delete(key: string): Promise<void>;
  abstract exists(key: string): Promise<boolean>;

  /** A fresh key: `YYYY/MM/<uuid>`, spreading files over folders by month. */
  static newKey(at: Date): string {
    const month = at.toISOString().slice(0, 7).replace('-', '/');
    return `${month}/${crypto.randomUUID()}`;
  }
}

const KEY = /^\d{4}\/\d{2}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Local disk: each object is written to a temporary file in the same file system, flushed, and
 * renamed into place, so readers never see half a file and a crash leaves at most a temporary
 * file, which `sweepTemporary` removes.
 */
export class LocalDiskStorage extends FileStorage {
  private readonly root: string;
  private readonly tmp: string;

  constructor(root: string) {
    super();
    this.root = path.resolve(root);
    this.tmp = path.join(this.root, '.tmp');
  }

  private pathOf(key: string): string {
    // Defence in depth: keys are ours, but a key is still checked before it touches a path.
    if (!KEY.test(key)) throw new Error(`invalid storage key`);
    const full = path.join(this.root, ...key.split('/'));
    if (!full.startsWith(this.root + path.sep)) throw new Error(`invalid storage key`);
    return full;
  }

  async put(key: string, data: Buffer): Promise<void> {
    const target = this.pathOf(key);
    await fs.mkdir(this.tmp, { recursive: true });
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temp = path.join(this.tmp, `${crypto.randomUUID()}.part`);
    try {
      const fh = await fs.open(temp, 'wx', 0o600);
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fs.rename(temp, target);
    } catch (e) {
      await fs.rm(temp, { force: true });
      throw e;
    }
  }

  async get(key: string): Promise<Buffer> {
    return fs.readFile(this.pathOf(key));
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      await fs.access(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }

  /** Removes temporary files older than `olderThanMs`: what a crash mid-write can leave. */
  async sweepTemporary(olderThanMs: number, now: Date = new Date()): Promise<number> {
    let removed = 0;
    let names: string[];
    try {
      names = await fs.readdir(this.tmp);
    } catch {
      return 0;
    }
    for (const name of names) {
      const p = path.join(this.tmp, name);
      const st = await fs.stat(p).catch(() => null);
      if (st && now.getTime() - st.mtimeMs > olderThanMs) {
        await fs.rm(p, { force: true });
        removed++;
      }
    }
    return removed;
  }
}
