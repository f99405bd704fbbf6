import path from 'node:path';
import zlib from 'node:zlib';
import type { Principal } from '../auth';
import { SystemClock } from '../common/clock';
import type { AppConfig } from '../config/config';
import type { Database } from '../db/database';
import { LocalDiskStorage } from '../evidence';
import { TypicalCasesService, type CasePhotoStorage } from './cases.service';
import { PublicSiteService } from './public.service';

/** A PNG of horizontal bands (RGB), so the demo case has photos without shipping image files. */
export function bandsPng(width: number, height: number, bands: Array<[number, number, number]>): Buffer {
  const crc = (buf: Buffer) => {
    let c = ~0;
    for (const b of buf) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return ~c >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const [r, g, b] = bands[Math.floor((y * bands.length) / height)]!;
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const DAY = 86_400_000;

/**
 * The public site's demo (npm start, demo mode, once): the 诚信主体 list published by the demo
 * administrator, one typical case published after its notice period and one on notice, each for an
 * A-grade entity that passes the check. Notice dates lie in the past, as if the cases had been
 * nominated two weeks ago.
 */
export async function ensureSiteDemo(db: Database, config: Pick<AppConfig, 'EVIDENCE_DIR'>): Promise<void> {
  if (await db.prisma.typicalCase.findFirst({ select: { id: true } })) return;
  const staff = await db.prisma.staffAccount.findFirst({ where: { username: 'demo-admin' }, select: { id: true } });
  if (!staff) return;
  const who: Principal = {
    kind: 'staff',
    staffId: staff.id,
    sessionId: 'demo-seed',
    role: 'admin',
    username: 'demo-admin',
  };
  const clock = new SystemClock();
  const site = new PublicSiteService(db, clock);
  const storage = new LocalDiskStorage(path.join(config.EVIDENCE_DIR, 'typical-cases')) as CasePhotoStorage;
  const cases = new TypicalCasesService(db, clock, storage);
  await site.publishRedList(who);
  const listed = await db.prisma.redListEntry.findMany({
    where: { withdrawnAt: null },
    select: { entity: { select: { uscc: true, name: true } } },
    orderBy: { id: 'asc' },
    take: 20,
  });
  const stories = [
    {
      title: '守合同重信用，带动农户订单种植',
      reason: '连续多年纳税信用 A 级，带动周边农户订单种植，合同履约率 100%，无任何失信记录。',
      story:
        '该企业坚持“诚信立企”，与周边 300 余户农户签订大豆订单种植合同，约定保底收购价，连续五年按约足额兑付，从未拖欠一笔货款。\n' +
        '企业建立了覆盖采购、生产、销售的信用管理制度，设立专职信用管理岗位，主动公开产品质量承诺，带动上下游合作社签订履约承诺书。\n' +
        '企业负责人表示，诚信是企业最好的“名片”，将继续守信经营，回馈社会。',
      publish: true,
    },
    {
      title: '诚信纳税，稳岗惠民',
      reason: '连续三年按时足额纳税，疫情期间不裁员、不减薪，积极参与公益帮扶，无任何失信记录。',
      story: '',
      publish: false,
    },
  ];
  let made = 0;
  for (const e of listed) {
    if (made === stories.length) break;
    const s = stories[made]!;
    const c = await cases.nominate(who, { uscc: e.entity.uscc, title: s.title, reason: s.reason });
    if (c.status !== 'checked') continue;
    await cases.review(who, c.id, { decision: 'approve', reason: '事迹属实，同意公示', noticeDays: 7 });
    const from = new Date(Date.now() - (s.publish ? 14 : 2) * DAY);
    await db.prisma.typicalCase.update({
      where: { id: c.id },
      data: { noticeFrom: from, noticeUntil: new Date(from.getTime() + 7 * DAY) },
    });
    if (s.publish)
      await cases.publish(who, c.id, {
        story: s.story,
        photos: [
          {
            mime: 'image/png',
            data: bandsPng(640, 400, [
              [183, 28, 28],
              [211, 47, 47],
              [255, 213, 79],
            ]).toString('base64'),
            caption: '企业诚信宣传栏',
          },
        ],
        consent: {
          by: '企业法定代表人',
          on: new Date(Date.now() - 8 * DAY).toISOString().slice(0, 10),
          document: '同意公开诚信典型案例确认书',
        },
      });
    made++;
  }
}
