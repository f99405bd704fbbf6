import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes } from '@heihe/shared';
import { EvidenceService } from '../../cloud/src/evidence/evidence.service';
import { FileStorage } from '../../cloud/src/evidence/file-storage';
import { FixedClock } from '../../cloud/src/common/clock';
import { createTestDatabase, testBackends, type TestDatabase } from '../../cloud/src/testing/test-db';
import type { WechatApi } from '../../cloud/src/wechat/wechat.port';
import { codeOf, Harness, type EnterpriseUser } from '../support/harness';
import { upload } from './support/api';
import { aJpeg, aPdf, RecordingWechat, rightsServices, seedEntity, seedUser, staff } from './support/fixtures';

const EXE = Buffer.concat([
  Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'),
  Buffer.alloc(64),
  Buffer.from('PE\0\0'),
]);

function filesUnder(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)));
}

describe.each(testBackends())('evidence upload on %s', (backend) => {
  let t: TestDatabase;
  let s: ReturnType<typeof rightsServices>;
  let wechat: RecordingWechat;
  let root: string;
  let dir: string;

  beforeAll(async () => {
    t = await createTestDatabase(backend);
  }, 60_000);
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-evidence-'));
    dir = path.join(root, 'store');
    wechat = new RecordingWechat();
    s = rightsServices(t.db, {
      evidenceDir: dir,
      wechat: wechat as unknown as WechatApi,
      config: { EVIDENCE_MAX_BYTES: String(64 * 1024), EVIDENCE_MAX_FILES: '3', EVIDENCE_MAX_UNATTACHED: '5' },
    });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  afterAll(() => t?.drop());

  async function party() {
    const e = await seedEntity(t.db, {
      records: [{ key: 'P1', kind: 'penalty', occurredOn: '2026-08-20', severity: 'general' }],
    });
    return { e, user: await seedUser(t.db, [e.entityId]) };
  }
  const file = (buffer: Buffer, originalname = 'photo.jpg') => ({ buffer, originalname, size: buffer.length });

  it('stores a cleaned photo under a server-made name, with its SHA-256, and asks WeChat to check it', async () => {
    const { e, user } = await party();

    const sut = await s.evidence.upload(user, e.entityId, file(aJpeg(), '营业执照.jpg'));

    const stored = filesUnder(dir);
    expect(stored).toEqual([expect.stringMatching(/^\d{4}\/\d{2}\/[0-9a-f-]{36}$/)]);
    const bytes = fs.readFileSync(path.join(dir, stored[0]!));
    expect(sut).toMatchObject({
      mime: 'image/jpeg',
      displayName: '营业执照.jpg',
      size: bytes.length,
      checkStatus: 'pending',
    });
    expect(sut.sha256).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
    expect(bytes.toString('utf8')).not.toContain('GPS');
    expect(bytes.toString('utf8')).not.toContain('王建华');
    expect(wechat.checks).toEqual([
      {
        mediaUrl: expect.stringContaining(`/api/evidence/check-media/${sut.id}?expires=`),
        mediaType: 'image',
        openid: user.openid,
        scene: 'profile',
      },
    ]);
    const link = new URL(wechat.checks[0]!.mediaUrl);
    const media = await s.evidence.mediaForCheck(
      sut.id,
      Number(link.searchParams.get('expires')),
      link.searchParams.get('sig')!,
    );
    expect(media.data.equals(bytes)).toBe(true);
    await expect(
      s.evidence.mediaForCheck(sut.id, Number(link.searchParams.get('expires')), '0'.repeat(64)),
    ).rejects.toMatchObject({ code: ErrorCodes.NOT_FOUND });
  });

  it('refuses a renamed executable as .jpg and stores nothing', async () => {
    const { e, user } = await party();

    await expect(s.evidence.upload(user, e.entityId, file(EXE, '发票.jpg'))).rejects.toMatchObject({
      code: ErrorCodes.EVIDENCE_TYPE_NOT_ALLOWED,
    });

    expect(filesUnder(dir)).toEqual([]);
    expect(await t.db.query(`SELECT id FROM evidence_file WHERE entity_id = $1`, [e.entityId])).toEqual([]);
  });

  it('refuses an oversized file', async () => {
    const { e, user } = await party();
    const big = Buffer.concat([aPdf().subarray(0, 20), Buffer.alloc(70 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);

    await expect(s.evidence.upload(user, e.entityId, file(big, 'big.pdf'))).rejects.toMatchObject({
      code: ErrorCodes.EVIDENCE_TOO_LARGE,
    });
  });

  it('refuses an image bomb by its header dimensions', async () => {
    const { e, user } = await party();

    await expect(
      s.evidence.upload(user, e.entityId, file(aJpeg({ width: 65000, height: 65000 }))),
    ).rejects.toMatchObject({
      code: ErrorCodes.EVIDENCE_IMAGE_TOO_LARGE,
    });
    expect(filesUnder(dir)).toEqual([]);
  });

  it('keeps ../ and NUL in names out of every path, showing a clean display name', async () => {
    const { e, user } = await party();

    const a = await s.evidence.upload(user, e.entityId, file(aJpeg(), '../../../../etc/cron.d/evil.jpg'));
    const b = await s.evidence.upload(user, e.entityId, file(aJpeg(), 'receipt\u0000.php\u202e.jpg'));
    const c = await s.evidence.upload(user, e.entityId, file(aPdf(), '..\\..\\windows\\system32\\x.exe'));

    expect([a.displayName, b.displayName, c.displayName]).toEqual(['evil.jpg', 'receipt.php.jpg', 'x.exe.pdf']);
    expect(
      filesUnder(root).every(
        (f) =>
          f.startsWith(`store${path.sep}`) && /^store\/\d{4}\/\d{2}\/[0-9a-f-]{36}$/.test(f.split(path.sep).join('/')),
      ),
    ).toBe(true);
    expect(filesUnder(root)).toHaveLength(3);
  });

  it('limits the files of one application', async () => {
    const { e, user } = await party();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await s.evidence.upload(user, e.entityId, file(aJpeg(), `${i}.jpg`))).id);

    const sut = s.objections.create(user, {
      entityId: e.entityId,
      recordId: e.records.P1!,
      ground: 'wrong',
      statement: '材料超过上限，试试看能否提交。',
      evidenceIds: ids,
    });

    await expect(sut).rejects.toMatchObject({
      code: ErrorCodes.EVIDENCE_TOO_MANY,
      message: '每件申请最多 3 份材料，当前已有 0 份',
    });
    expect(await t.db.query(`SELECT id FROM objection WHERE entity_id = $1`, [e.entityId])).toEqual([]);
  });

  it('limits what an enterprise can leave uploaded but unsubmitted', async () => {
    const { e, user } = await party();
    for (let i = 0; i < 5; i++) await s.evidence.upload(user, e.entityId, file(aJpeg()));

    await expect(s.evidence.upload(user, e.entityId, file(aJpeg()))).rejects.toMatchObject({
      code: ErrorCodes.EVIDENCE_TOO_MANY,
    });
  });

  it("refuses another enterprise's file ID, in an application and to read", async () => {
    const a = await party();
    const b = await party();
    const mine = await s.evidence.upload(b.user, b.e.entityId, file(aJpeg()));
    const theirs = await s.evidence.upload(a.user, a.e.entityId, file(aJpeg()));

    const sut = s.objections.create(b.user, {
      entityId: b.e.entityId,
      recordId: b.e.records.P1!,
      ground: 'wrong',
      statement: '夹带别家企业的材料，试试看。',
      evidenceIds: [mine.id, theirs.id],
    });

    await expect(sut).rejects.toMatchObject({ code: ErrorCodes.NOT_FOUND });
    await expect(s.evidence.download(b.user, theirs.id)).rejects.toMatchObject({ code: ErrorCodes.NOT_FOUND });
    await expect(s.evidence.get(staff('investment_officer'), theirs.id)).rejects.toMatchObject({
      code: ErrorCodes.NOT_FOUND,
    });
    await expect(s.evidence.upload(b.user, a.e.entityId, file(aJpeg()))).rejects.toMatchObject({
      code: ErrorCodes.NOT_FOUND,
    });
    const [row] = await t.db.query<{ application_id: number | null }>(
      `SELECT application_id FROM evidence_file WHERE id = $1`,
      [mine.id],
    );
    expect(row!.application_id).toBeNull();
  });

  it('lets agency staff read the file, and audits that they did', async () => {
    const { e, user } = await party();
    const f = await s.evidence.upload(user, e.entityId, file(aPdf(), '承诺书.pdf'));

    const sut = await s.evidence.download(staff('reviewer', 'sun.reviewer'), f.id);

    expect(sut.data.equals(aPdf())).toBe(true);
    const [a] = await t.db.query<{ actor_id: string }>(
      `SELECT actor_id FROM audit_log WHERE action = 'evidence.view' AND object_id = $1`,
      [f.id],
    );
    expect(a!.actor_id).toBe('reviewer:sun.reviewer');
    expect(wechat.checks).toEqual([]);
  });

  it('lets the owner delete an unattached file: row, bytes and an audit record', async () => {
    const { e, user } = await party();
    const f = await s.evidence.upload(user, e.entityId, file(aJpeg()));

    await s.evidence.delete(user, f.id);

    expect(filesUnder(dir)).toEqual([]);
    expect(await t.db.query(`SELECT id FROM evidence_file WHERE id = $1`, [f.id])).toEqual([]);
    const audit = await t.db.query<{ actor_kind: string; actor_id: string; entity_id: number }>(
      `SELECT actor_kind, actor_id, entity_id FROM audit_log WHERE action = 'evidence.delete' AND object_id = $1`,
      [f.id],
    );
    expect(audit).toEqual([{ actor_kind: 'user', actor_id: String(user.userId), entity_id: e.entityId }]);
  });

  it("keeps an attached file and another enterprise's file from deletion, leaking nothing", async () => {
    const a = await party();
    const b = await party();
    const attached = await s.evidence.upload(a.user, a.e.entityId, file(aJpeg()));
    const loose = await s.evidence.upload(a.user, a.e.entityId, file(aJpeg()));
    await s.objections.create(a.user, {
      entityId: a.e.entityId,
      recordId: a.e.records.P1!,
      ground: 'wrong',
      statement: '附上材料后再试图删除它。',
      evidenceIds: [attached.id],
    });

    await expect(s.evidence.delete(a.user, attached.id)).rejects.toMatchObject({
      code: ErrorCodes.APPLICATION_STATE,
    });
    await expect(s.evidence.delete(b.user, loose.id)).rejects.toMatchObject({ code: ErrorCodes.NOT_FOUND });
    await expect(s.evidence.delete(b.user, crypto.randomUUID())).rejects.toMatchObject({
      code: ErrorCodes.NOT_FOUND,
    });
    await expect(s.evidence.delete(staff('admin'), loose.id)).rejects.toMatchObject({ code: ErrorCodes.NOT_FOUND });

    expect(filesUnder(dir)).toHaveLength(2);
    expect(
      await t.db.query(`SELECT id FROM audit_log WHERE action = 'evidence.delete' AND entity_id = $1`, [a.e.entityId]),
    ).toEqual([]);
  });

  it('purges unattached files past the configured days, with their bytes, and keeps the rest', async () => {
    const clock = new FixedClock(new Date('2026-09-01T02:00:00Z'));
    const sut = rightsServices(t.db, { evidenceDir: dir, clock, config: { EVIDENCE_UNATTACHED_TTL_DAYS: '3' } });
    const { e, user } = await party();
    const old = await sut.evidence.upload(user, e.entityId, file(aJpeg()));
    const attached = await sut.evidence.upload(user, e.entityId, file(aJpeg()));
    await sut.objections.create(user, {
      entityId: e.entityId,
      recordId: e.records.P1!,
      ground: 'wrong',
      statement: '已提交的材料不因过期被删除。',
      evidenceIds: [attached.id],
    });
    clock.set('2026-09-03T02:00:00Z');
    const recent = await sut.evidence.upload(user, e.entityId, file(aJpeg()));

    clock.set('2026-09-04T02:00:01Z');
    const purged = await sut.evidence.purgeExpired();

    expect(purged).toBe(1);
    const left = await t.db.query<{ id: string }>(`SELECT id FROM evidence_file WHERE entity_id = $1 ORDER BY id`, [
      e.entityId,
    ]);
    expect(left.map((r) => r.id).sort()).toEqual([attached.id, recent.id].sort());
    expect(filesUnder(dir)).toHaveLength(2);
    expect(
      await t.db.query(`SELECT actor_kind FROM audit_log WHERE action = 'evidence.expire' AND object_id = $1`, [
        old.id,
      ]),
    ).toEqual([{ actor_kind: 'system' }]);
  });

  it("purges the enterprise's expired files before counting them against the cap", async () => {
    const clock = new FixedClock(new Date('2026-09-01T02:00:00Z'));
    const sut = rightsServices(t.db, {
      evidenceDir: dir,
      clock,
      config: { EVIDENCE_UNATTACHED_TTL_DAYS: '7', EVIDENCE_MAX_UNATTACHED: '2' },
    });
    const { e, user } = await party();
    await sut.evidence.upload(user, e.entityId, file(aJpeg()));
    await sut.evidence.upload(user, e.entityId, file(aJpeg()));
    await expect(sut.evidence.upload(user, e.entityId, file(aJpeg()))).rejects.toMatchObject({
      code: ErrorCodes.EVIDENCE_TOO_MANY,
    });

    clock.set('2026-09-08T02:00:01Z');
    const fresh = await sut.evidence.upload(user, e.entityId, file(aJpeg()));

    expect(await t.db.query(`SELECT id FROM evidence_file WHERE entity_id = $1`, [e.entityId])).toEqual([
      { id: fresh.id },
    ]);
    expect(filesUnder(dir)).toHaveLength(1);
  });

  it('leaves no file behind when the row cannot be written', async () => {
    const { e } = await party();
    const ghost = { kind: 'user' as const, userId: 2 ** 31, sessionId: 's', entityIds: [e.entityId] };

    await expect(s.evidence.upload(ghost, e.entityId, file(aJpeg()))).rejects.toThrow();

    expect(filesUnder(root)).toEqual([]);
  });

  it('leaves no row behind when the storage fails', async () => {
    const { e, user } = await party();
    class BrokenStorage extends FileStorage {
      put = async () => {
        throw new Error('disk full');
      };
      get = async () => Buffer.alloc(0);
      delete = async () => undefined;
      exists = async () => false;
    }
    const broken = rightsServices(t.db, { evidenceDir: dir });
    const sut = new EvidenceService(
      t.db,
      broken.config,
      new BrokenStorage(),
      wechat as unknown as WechatApi,
      broken.clock,
    );

    await expect(sut.upload(user, e.entityId, file(aJpeg()))).rejects.toThrow('disk full');

    expect(await t.db.query(`SELECT id FROM evidence_file WHERE entity_id = $1`, [e.entityId])).toEqual([]);
  });
});

describe.each(testBackends())('evidence through the API on %s', (backend) => {
  let h: Harness;
  let user: EnterpriseUser;

  beforeAll(async () => {
    h = await Harness.start(backend, { env: { EVIDENCE_MAX_UNATTACHED: '30' } });
    user = await h.signInAsEnterpriseUser({ enterprise: 0 });
  }, 120_000);
  afterAll(() => h?.close());

  const send = (data: Buffer) =>
    upload(
      h,
      `/entities/${user.enterprise!.entityId}/evidence`,
      [{ name: 'file', filename: 'x.jpg', data }],
      user.auth,
    );

  it('holds the unattached cap under 40 parallel uploads: 30 stored, 10 refused', async () => {
    const entityId = user.enterprise!.entityId;
    await h.db.query(`DELETE FROM evidence_file WHERE entity_id = $1`, [entityId]);

    const sut = await Promise.all(Array.from({ length: 40 }, () => send(aJpeg())));

    const statuses = sut.map((r) => (r.status === 201 ? 'stored' : codeOf(r)));
    expect(statuses.filter((x) => x === 'stored')).toHaveLength(30);
    expect(statuses.filter((x) => x !== 'stored')).toEqual(new Array(10).fill(ErrorCodes.EVIDENCE_TOO_MANY));
    const [{ n } = { n: -1 }] = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM evidence_file WHERE entity_id = $1 AND application_id IS NULL`,
      [entityId],
    );
    expect(n).toBe(30);
    expect(filesUnder(h.config.EVIDENCE_DIR).filter((f) => !f.startsWith('.tmp'))).toHaveLength(30);
    await h.db.query(`DELETE FROM evidence_file WHERE entity_id = $1`, [entityId]);
  }, 120_000);

  it("deletes the owner's unattached file with DELETE /api/evidence/:id, and answers 404 after", async () => {
    const f = await send(aJpeg());
    const id = String(f.body.id);

    const sut = await h.http('DELETE', `/evidence/${id}`, { auth: user.auth });
    const again = await h.http('DELETE', `/evidence/${id}`, { auth: user.auth });

    expect([sut.status, sut.body]).toEqual([200, { id, deleted: true }]);
    expect([again.status, codeOf(again)]).toEqual([404, ErrorCodes.NOT_FOUND]);
  });

  it('refuses PDFs with active content hidden behind any filter, through the thread pool', async () => {
    const script = Buffer.from('6 0 << /S /JavaScript /JS (app.alert(1)) >>', 'latin1');
    const data = `${script.toString('hex')}>`;
    const doc = aPdf()
      .toString('latin1')
      .replace(
        'trailer',
        `5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /ASCIIHexDecode /Length ${data.length} >>\nstream\n${data}\nendstream\nendobj\ntrailer`,
      );

    const sut = await send(Buffer.from(doc, 'latin1'));
    const plain = await send(aPdf());

    expect([sut.status, codeOf(sut)]).toEqual([415, ErrorCodes.EVIDENCE_TYPE_NOT_ALLOWED]);
    expect(plain.status).toBe(201);
  });
});
