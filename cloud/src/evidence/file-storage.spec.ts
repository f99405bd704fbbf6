import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStorage, LocalDiskStorage } from './file-storage';

describe('LocalDiskStorage', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-storage-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const files = (root: string): string[] =>
    fs
      .readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => path.relative(root, path.join(d.parentPath, d.name)));

  it('stores under the server key and reads it back', async () => {
    const sut = new LocalDiskStorage(dir);
    const key = FileStorage.newKey(new Date('2026-10-12T02:00:00Z'));
    await sut.put(key, Buffer.from('receipt'));
    expect([key.slice(0, 8), (await sut.get(key)).toString()]).toEqual(['2026/10/', 'receipt']);
  });

  it('leaves nothing behind when the final rename fails', async () => {
    const sut = new LocalDiskStorage(dir);
    const key = FileStorage.newKey(new Date('2026-10-12T02:00:00Z'));
    fs.mkdirSync(path.join(dir, ...key.split('/'), 'occupied'), { recursive: true });

    await expect(sut.put(key, Buffer.from('receipt'))).rejects.toThrow();

    expect(files(dir)).toEqual([]);
  });

  it('refuses a key that is not one of its own', async () => {
    const sut = new LocalDiskStorage(dir);
    await expect(sut.put('../../etc/passwd', Buffer.from('x'))).rejects.toThrow('invalid storage key');
    await expect(sut.get('2026/10/../../x')).rejects.toThrow('invalid storage key');
    expect(fs.existsSync(path.join(dir, '..', 'etc'))).toBe(false);
  });

  it('sweeps temporary files a crash left', async () => {
    const sut = new LocalDiskStorage(dir);
    fs.mkdirSync(path.join(dir, '.tmp'));
    fs.writeFileSync(path.join(dir, '.tmp', 'abc.part'), 'half');
    const removed = await sut.sweepTemporary(0, new Date(Date.now() + 1000));
    expect([removed, files(dir)]).toEqual([1, []]);
  });
});
