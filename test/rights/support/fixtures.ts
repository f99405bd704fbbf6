import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeUscc, type RecordKind, type Severity } from '@heihe/shared';
import type { Principal, StaffRole } from '../../../cloud/src/auth/principal';
import { CalendarService } from '../../../cloud/src/calendar/calendar.service';
import type { AppConfig } from '../../../cloud/src/config/config';
import type { Database } from '../../../cloud/src/db/database';
import { queueOwnershipChange } from '../../../cloud/src/db/ownership-change';
import { EvidenceService } from '../../../cloud/src/evidence/evidence.service';
import { LocalDiskStorage } from '../../../cloud/src/evidence/file-storage';
import { GoodInfoService } from '../../../cloud/src/good-info/good-info.service';
import { ObjectionsService } from '../../../cloud/src/objections/objections.service';
import { RepairService } from '../../../cloud/src/repair/repair.service';
import { FixedClock } from '../../../cloud/src/common/clock';
import { ReviewService } from '../../../cloud/src/review/review.service';
import { Scorer } from '../../../cloud/src/scoring/scorer';
import { ScoringService } from '../../../cloud/src/scoring/scoring.service';
import { testConfig } from '../../../cloud/src/testing/config';
import { createTestDatabase, type Backend, type TestDatabase } from '../../../cloud/src/testing/test-db';
import type { WechatApi } from '../../../cloud/src/wechat/wechat.port';

let seq = 0;

export interface RecordSpec {
  key: string;
  kind: RecordKind;
  occurredOn: string;
  severity?: Severity | null;
  category?: string | null;
  amount?: number | null;
  grade?: string | null;
  validTo?: string | null;
  summary?: string;
}

export interface SeededEntity {
  entityId: number;
  uscc: string;
  name: string;
  records: Record<string, number>;
}

/**
 * An ordinary firm (tax grade B, a few years old, 36 insured staff) plus the given records, all
 * known since `recordedAt`, scored once at `scoredAt`. Inserted directly, so tests can place the
 * history in the past of the workflow clock.
 */
export async function seedEntity(
  db: Database,
  opts: {
    records?: RecordSpec[];
    recordedAt?: string;
    scoredAt?: string;
    industryCode?: string;
    regionCode?: string;
    name?: string;
  } = {},
): Promise<SeededEntity> {
  const n = ++seq + Math.floor(Math.random() * 100_000);
  const uscc = makeUscc(`91231102TR${String(n).padStart(7, '0')}`);
  const name = opts.name ?? `黑河测试企业${n}有限公司`;
  const recordedAt = opts.recordedAt ?? '2026-01-01T00:00:00.000Z';
  // A registration: the stored penetrations that read it as a holder known by USCC are hidden (ADR 0022).
  const [e] = await db.tx(async (sql) => {
    const rows = await sql.query<{ id: number }>(
      `INSERT INTO entity (uscc, bucket, uscc_checksum_ok, name, type, status, established_on, registered_capital, paid_in_capital,
         industry_code, region_code, updated_at)
       VALUES ($1, uscc_bucket($1::varchar), true, $2, '有限责任公司', 'active', '2019-03-01', 5000000, 5000000, $3, $4, now()) RETURNING id`,
      [uscc, name, opts.industryCode ?? 'C1331', opts.regionCode ?? '231102'],
    );
    await queueOwnershipChange(sql, { registered: [uscc] });
    return rows;
  });
  const entityId = e!.id;
  const base: RecordSpec[] = [
    { key: 'REG', kind: 'registration', occurredOn: '2019-03-01', category: '有限责任公司', amount: 5_000_000 },
    { key: 'TG', kind: 'tax_grade', occurredOn: '2025-04-15', grade: 'B', amount: 2024 },
    { key: 'SI', kind: 'social_insurance', occurredOn: '2025-12-15', amount: 36, category: 'normal' },
  ];
  const records: Record<string, number> = {};
  for (const r of [...base, ...(opts.records ?? [])]) {
    const [rec] = await db.query<{ id: number }>(
      `INSERT INTO credit_record (entity_id, bucket, kind, source_system, source_id)
       VALUES ($1, (SELECT bucket FROM entity WHERE id = $1), $2::"RecordKind", 'test', $3) RETURNING id`,
      [entityId, r.kind, `${uscc}-${r.key}`],
    );
    const payload = { summary: r.summary ?? `${r.kind} ${r.key}`, documentNo: `黑测〔2026〕${r.key}号` };
    await db.query(
      `INSERT INTO credit_record_version (record_id, entity_id, bucket, kind, version, status, category, severity, amount, grade,
         occurred_on, valid_from, valid_to, payload, content_hash, reason, recorded_at)
       VALUES ($1, $2, (SELECT bucket FROM entity WHERE id = $2), $3::"RecordKind", 1, 'active', $4, $5::"Severity", $6, $7, $8::date, $8::date, $9::date, $10::jsonb, $11, 'delivery', $12)`,
      [
        rec!.id,
        entityId,
        r.kind,
        r.category ?? null,
        r.severity ?? null,
        r.amount ?? null,
        r.grade ?? null,
        r.occurredOn,
        r.validTo ?? null,
        JSON.stringify(payload),
        crypto.createHash('sha256').update(JSON.stringify(payload)).digest('hex'),
        recordedAt,
      ],
    );
    records[r.key] = Number(rec!.id); // BIGINT: node-postgres gives a string
  }
  await new Scorer(db).rescore([entityId], 'test.seed', new Date(opts.scoredAt ?? recordedAt));
  return { entityId, uscc, name, records };
}

/** An enterprise user bound to the entities, as the guard would establish them. */
export async function seedUser(
  db: Database,
  entityIds: number[],
): Promise<Extract<Principal, { kind: 'user' }> & { openid: string }> {
  const openid = `o-rights-${crypto.randomBytes(6).toString('hex')}`;
  const [u] = await db.query<{ id: number }>(`INSERT INTO app_user (openid) VALUES ($1) RETURNING id`, [openid]);
  const [p] = await db.query<{ id: number }>(
    `INSERT INTO person (name, id_number_cipher, id_number_hash, id_number_masked) VALUES ('测试人', 'v1:x', $1, '2311**********0000') RETURNING id`,
    [crypto.randomBytes(32).toString('hex')],
  );
  for (const entityId of entityIds)
    await db.query(
      `INSERT INTO enterprise_binding (user_id, entity_id, person_id, method) VALUES ($1, $2, $3, 'three_elements')`,
      [u!.id, entityId, p!.id],
    );
  return { kind: 'user', userId: u!.id, sessionId: 'test', entityIds, openid };
}

export function staff(role: StaffRole = 'reviewer', username = 'wang.reviewer'): Extract<Principal, { kind: 'staff' }> {
  return { kind: 'staff', staffId: 1, sessionId: 'test', role, username };
}

/** A WechatApi that records what it is asked and answers like WeChat. */
export class RecordingWechat implements Pick<WechatApi, 'sendSubscribeMessage' | 'mediaCheckAsync'> {
  readonly sent: Parameters<WechatApi['sendSubscribeMessage']>[0][] = [];
  readonly checks: Parameters<WechatApi['mediaCheckAsync']>[0][] = [];
  async sendSubscribeMessage(m: Parameters<WechatApi['sendSubscribeMessage']>[0]) {
    this.sent.push(m);
    return { delivered: true as const };
  }
  async mediaCheckAsync(a: Parameters<WechatApi['mediaCheckAsync']>[0]) {
    this.checks.push(a);
    return { traceId: `trace-${this.checks.length}` };
  }
}

/** The services of the three rights wired by hand, as the Nest modules wire them. */
export function rightsServices(
  db: Database,
  opts: { clock?: FixedClock; config?: Record<string, string>; wechat?: WechatApi; evidenceDir?: string } = {},
) {
  const clock = opts.clock ?? new FixedClock(new Date('2026-09-30T02:00:00Z'));
  const config: AppConfig = testConfig({ OUTBOX_RELAY_ENABLED: 'false', ...opts.config });
  const calendar = new CalendarService(db, config, clock);
  const wechat = opts.wechat ?? (new RecordingWechat() as unknown as WechatApi);
  const storage = new LocalDiskStorage(opts.evidenceDir ?? config.EVIDENCE_DIR);
  return {
    clock,
    config,
    calendar,
    wechat,
    storage,
    evidence: new EvidenceService(db, config, storage, wechat, clock),
    objections: new ObjectionsService(db, config, calendar, clock),
    goodInfo: new GoodInfoService(db, config, calendar, clock),
    repair: new RepairService(db, config, calendar, clock),
    review: new ReviewService(db, calendar, clock),
    scoring: new ScoringService(db, config),
  };
}

/** A small valid JPEG: SOI, JFIF, an Exif block with GPS-like text, DQT/SOF0/DHT/SOS stubs, EOI. */
export function aJpeg(
  opts: { width?: number; height?: number; exifText?: string; orientation?: number; trailing?: Buffer } = {},
): Buffer {
  const seg = (marker: number, body: Buffer) => {
    const head = Buffer.from([0xff, marker, 0, 0]);
    head.writeUInt16BE(body.length + 2, 2);
    return Buffer.concat([head, body]);
  };
  const exif = (() => {
    const tiff = Buffer.alloc(8 + 2 + 24 + 4);
    tiff.write('II', 0, 'latin1');
    tiff.writeUInt16LE(42, 2);
    tiff.writeUInt32LE(8, 4);
    tiff.writeUInt16LE(2, 8);
    tiff.writeUInt16LE(0x0112, 10);
    tiff.writeUInt16LE(3, 12);
    tiff.writeUInt32LE(1, 14);
    tiff.writeUInt16LE(opts.orientation ?? 6, 18);
    tiff.writeUInt16LE(0x8825, 22); // GPS IFD pointer (value unused here)
    tiff.writeUInt16LE(4, 24);
    tiff.writeUInt32LE(1, 26);
    tiff.writeUInt32LE(0, 30);
    return Buffer.concat([
      Buffer.from('Exif\0\0', 'latin1'),
      tiff,
      Buffer.from(opts.exifText ?? 'GPS 50.2456N 127.5281E', 'utf8'),
    ]);
  })();
  const sof = Buffer.alloc(6 + 3);
  sof[0] = 8;
  sof.writeUInt16BE(opts.height ?? 480, 1);
  sof.writeUInt16BE(opts.width ?? 640, 3);
  sof[5] = 1;
  sof[6] = 1;
  sof[7] = 0x11;
  sof[8] = 0;
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    seg(0xe1, exif),
    seg(0xfe, Buffer.from('Shot on a phone by 王建华', 'utf8')),
    seg(0xdb, Buffer.alloc(65, 1)),
    seg(0xc0, sof),
    seg(0xc4, Buffer.alloc(20, 0)),
    seg(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
    Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78]),
    Buffer.from([0xff, 0xd9]),
    opts.trailing ?? Buffer.alloc(0),
  ]);
}

export const aPdf = (extra = ''): Buffer =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R ${extra}>>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );

/** A China-time working morning (10:00) of a day, as an instant. */
export const chinaMorning = (day: string) => `${day}T02:00:00.000Z`;

/**
 * A rights suite's database and services, fresh for each test: registers the hooks (a database per
 * suite, reset before each test, an evidence folder of its own) and gives what they made.
 */
export function rightsSuite(backend: Backend) {
  const ctx = {} as { t: TestDatabase; s: ReturnType<typeof rightsServices>; dir: string };
  beforeAll(async () => {
    ctx.t = await createTestDatabase(backend);
    ctx.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-evidence-'));
  }, 60_000);
  beforeEach(async () => {
    await ctx.t.reset();
    ctx.s = rightsServices(ctx.t.db, { evidenceDir: ctx.dir });
  });
  afterAll(async () => {
    await ctx.t?.drop();
    fs.rmSync(ctx.dir, { recursive: true, force: true });
  });
  return ctx;
}

/**
 * An objection filed on a day (China time) against a fresh entity's one general penalty, with a
 * photo: what the deadline suites start from.
 */
export async function objectionFiledOn(
  ctx: { t: TestDatabase; s: ReturnType<typeof rightsServices> },
  day: string,
  opts: { occurredOn?: string } = {},
) {
  const e = await seedEntity(ctx.t.db, {
    records: [{ key: 'P1', kind: 'penalty', occurredOn: opts.occurredOn ?? '2026-01-20', severity: 'general' }],
  });
  const user = await seedUser(ctx.t.db, [e.entityId]);
  ctx.s.clock.set(chinaMorning(day));
  const ev = await ctx.s.evidence.upload(user, e.entityId, {
    buffer: aJpeg(),
    originalname: 'a.jpg',
    size: aJpeg().length,
  });
  return ctx.s.objections.create(user, {
    entityId: e.entityId,
    recordId: e.records.P1!,
    ground: 'duplicate',
    statement: '同一处罚被公示了两次，请核查。',
    evidenceIds: [ev.id],
  });
}
