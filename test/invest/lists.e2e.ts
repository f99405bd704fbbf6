import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import {
  type ParkCheck,
  type SavedScreening,
  type ScreeningRun,
  type WatchAlert,
  type WatchItem,
  watchAlertPushSchema,
} from '@heihe/shared';
import { chinaDate } from '../../cloud/src/common/china-time';
import { IngestRun } from '../../cloud/src/ingest';
import { OutboxRelay } from '../../cloud/src/outbox';
import { investDemoRows, investDemoUscc } from '../../cloud/src/seed/generator';
import { testBackends } from '../../cloud/src/testing/test-db';
import { outboxBucketMismatches } from '../support/buckets';
import { expectStatus, Harness, type StaffSession } from '../support/harness';

jest.setTimeout(180_000);

const SRC = 'invest-lists-e2e';
const NOTICE = '供招商决策参考，不作为失信惩戒的直接依据';

async function workbook(h: Harness, path: string, auth: StaffSession['auth']) {
  const res = await fetch(`${h.baseUrl}${path}`, { headers: { authorization: `Bearer ${auth.accessToken}` } });
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
  return wb;
}

const cells = (ws: ExcelJS.Worksheet) => {
  const out: string[] = [];
  ws.eachRow((r) => r.eachCell((c) => out.push(String(c.value ?? ''))));
  return out;
};

describe.each(testBackends())('investment officer lists on %s', (backend) => {
  let h: Harness;
  let officer: StaffSession;
  let other: StaffSession;
  let admin: StaffSession;
  let reviewer: StaffSession;
  const idOf = new Map<string, number>();
  let seq = 0;
  const today = chinaDate(new Date());

  /** Delivers one record row the way a data source does (a new version, re-scored at once). */
  async function deliver(uscc: string, fields: Record<string, unknown>) {
    const run = await IngestRun.start(h.db, h.vault, SRC, { chunkSize: 10 });
    await run.push({
      line: 1,
      raw: { type: 'record', sourceSystem: SRC, sourceId: `${uscc}-${++seq}`, uscc, ...fields },
    });
    const r = await run.finish();
    if (r.rejected) throw new Error(JSON.stringify(r.errors));
  }
  const relay = () => h.app.get(OutboxRelay).drain();

  beforeAll(async () => {
    h = await Harness.start(backend);
    [officer, other, admin, reviewer] = await Promise.all([
      h.signInAsStaff('investment_officer'),
      h.signInAsStaff('investment_officer'),
      h.signInAsStaff('admin'),
      h.signInAsStaff('reviewer'),
    ]);
    const run = await IngestRun.start(h.db, h.vault, SRC, { chunkSize: 500 });
    let line = 0;
    for (const raw of investDemoRows(today)) await run.push({ line: ++line, raw });
    const report = await run.finish();
    if (report.rejected) throw new Error(JSON.stringify(report.errors));
    for (const r of await h.db.query<{ id: number; uscc: string }>(`SELECT id, uscc FROM entity`))
      idOf.set(r.uscc, r.id);
    await relay();
  });
  afterAll(() => h?.close());

  describe('watch list', () => {
    let watch: WatchItem;

    it('adds a target with its related set, lists it, and audits who, which target and why', async () => {
      const r = await h.post<WatchItem>(
        '/invest/watchlist',
        { entityId: idOf.get(investDemoUscc(0)), purpose: '签约前持续关注', radius: 2 },
        officer.auth,
      );
      expectStatus(r, 201, 'addToWatchlist');
      watch = r.body;
      expect(watch).toMatchObject({ name: '黑河北疆大豆科技有限公司', radius: 2, unreadAlerts: 0 });
      // The target, its holders A and B, C above them, and E (a key person's company) at least.
      expect(watch.scopeSize).toBeGreaterThanOrEqual(5);
      const scope = await h.db.prisma.watchScope.findMany({ where: { watchId: watch.watchId } });
      expect(scope.find((s) => s.entityId === idOf.get(investDemoUscc(1)))?.distance).toBe(1);

      const list = await h.get<{ items: WatchItem[]; notice: string }>('/invest/watchlist', officer.auth);
      expectStatus(list, 200, 'listWatchlist');
      expect(list.body.items.map((i) => i.watchId)).toEqual([watch.watchId]);
      expect(list.body.notice).toBe(NOTICE);
      const audit = await h.db.query<{ actor_id: string; entity_id: number; detail: { purpose: string } }>(
        `SELECT actor_id, entity_id, detail FROM audit_log WHERE action = 'invest.watch.add'`,
      );
      expect(audit).toEqual([
        expect.objectContaining({
          actor_id: `investment_officer:${officer.username}`,
          entity_id: idOf.get(investDemoUscc(0)),
          detail: expect.objectContaining({ purpose: '签约前持续关注' }),
        }),
      ]);
    });

    it('raises an alert for a new negative record on a related entity, once, however often the message is handled', async () => {
      const B = investDemoUscc(2);
      await deliver(B, {
        kind: 'penalty',
        severity: 'general',
        occurredOn: today,
        summary: '未按规定公示年度报告',
      });
      // The trigger queues the record (ADR 0027 step 4); the relay's invest handler raises the alert.
      const queued = { topic: 'record.negative', entityId: idOf.get(B) };
      expect(await h.db.prisma.outbox.count({ where: queued })).toBe(1);
      const none = await h.get<{ items: WatchAlert[] }>('/invest/watch-alerts', officer.auth);
      expect(none.body.items.filter((a) => a.kind === 'negative_record')).toEqual([]);
      await relay();
      // A crash after handling: the same message handled again (due again, its lease ended) adds nothing.
      await h.db.prisma.outbox.updateMany({ where: queued, data: { deliveredAt: null, availableAt: new Date(0) } });
      await relay();

      const r = await h.get<{ items: WatchAlert[]; unread: number }>('/invest/watch-alerts', officer.auth);
      expectStatus(r, 200, 'listWatchAlerts');
      const records = r.body.items.filter((a) => a.kind === 'negative_record');
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        watchId: watch.watchId,
        watched: { name: '黑河北疆大豆科技有限公司' },
        entity: { entityId: idOf.get(B) },
        distance: 1,
        recordKind: 'penalty',
      });
      expect(records[0]!.message).toContain('行政处罚');
      // The other officer watches nothing and sees nothing.
      const theirs = await h.get<{ items: WatchAlert[]; unread: number }>('/invest/watch-alerts', other.auth);
      expect(theirs.body).toMatchObject({ items: [], unread: 0 });
    });

    it("raises an alert for a grade change of the watched target, and queues it to the officer's department webhook", async () => {
      const sub = await h.db.prisma.regulatorSubscription.create({
        data: { name: '市招商局', webhookUrl: 'https://example.invalid/hook', secretCipher: 'x' },
      });
      await h.db.prisma.staffAccount.update({
        where: { id: officer.staffId },
        data: { departmentSubscriptionId: sub.id },
      });
      const T = investDemoUscc(0);
      const [before] = await h.db.query<{ grade: string }>(`SELECT grade FROM entity_score WHERE entity_id = $1`, [
        idOf.get(T),
      ]);
      await deliver(T, { kind: 'dishonesty_listing', occurredOn: today, summary: '列入严重失信主体名单' });
      const [after] = await h.db.query<{ grade: string }>(`SELECT grade FROM entity_score WHERE entity_id = $1`, [
        idOf.get(T),
      ]);
      expect(after!.grade).not.toBe(before!.grade);
      await relay();

      const r = await h.get<{ items: WatchAlert[] }>('/invest/watch-alerts?unread=true', officer.auth);
      const grade = r.body.items.find((a) => a.kind === 'grade_changed');
      expect(grade).toMatchObject({ distance: 0, fromGrade: before!.grade, toGrade: after!.grade });
      expect(r.body.items.some((a) => a.kind === 'negative_record' && a.distance === 0)).toBe(true);
      const hooks = await h.db.prisma.outbox.findMany({
        where: { destination: `webhook:${sub.id}`, topic: 'invest.watch_alert' },
      });
      expect(hooks.length).toBe(2);
      expect(hooks.map((m) => (m.payload as { notice: string }).notice)).toEqual([NOTICE, NOTICE]);
      expect(new Set(hooks.map((m) => m.messageId)).size).toBe(2);
      for (const m of hooks)
        expect(watchAlertPushSchema.parse(m.payload)).toMatchObject({
          officer: officer.username,
          watched: { uscc: T },
          entity: { uscc: T },
          distance: 0,
        });
      // The trigger's record.negative messages, the score update's grade change and the alerts' webhooks are
      // each queued in the target's bucket (ADR 0027 step 3).
      expect(await outboxBucketMismatches(h.db)).toEqual({ rows: expect.any(Number), wrong: 0 });
    });

    it('marks only the caller’s own alerts read', async () => {
      const mine = await h.get<{ items: WatchAlert[]; unread: number }>('/invest/watch-alerts', officer.auth);
      const ids = mine.body.items.map((a) => a.alertId);
      const theirs = await h.post<{ marked: number }>('/invest/watch-alerts/read', { alertIds: ids }, other.auth);
      expectStatus(theirs, 200, 'markWatchAlertsRead');
      expect(theirs.body.marked).toBe(0);
      const own = await h.post<{ marked: number; unread: number }>(
        '/invest/watch-alerts/read',
        { alertIds: [ids[0]] },
        officer.auth,
      );
      expect(own.body).toEqual({ marked: 1, unread: mine.body.unread - 1 });
      const all = await h.post<{ marked: number; unread: number }>(
        '/invest/watch-alerts/read',
        { all: true },
        officer.auth,
      );
      expect(all.body.unread).toBe(0);
      const empty = await h.post('/invest/watch-alerts/read', {}, officer.auth);
      expect(empty.status).toBe(400);
    });

    it("refuses another officer's watch, enterprises and reviewers; removes the owner's", async () => {
      expect((await h.http('DELETE', `/invest/watchlist/${watch.watchId}`, { auth: other.auth })).status).toBe(404);
      expect((await h.http('DELETE', `/invest/watchlist/${watch.watchId}`, { auth: admin.auth })).status).toBe(404);
      expect((await h.get('/invest/watchlist', reviewer.auth)).status).toBe(403);
      const user = await h.signInAsEnterpriseUser();
      expect((await h.get('/invest/watch-alerts', user.auth)).status).toBe(403);
      const gone = await h.http('DELETE', `/invest/watchlist/${watch.watchId}`, { auth: officer.auth });
      expectStatus(gone, 200, 'removeFromWatchlist');
      expect(await h.db.prisma.watchScope.count({ where: { watchId: watch.watchId } })).toBe(0);
      // No watch, no alert: the record is queued (the trigger cannot read watch_scope), the handler finds no watch.
      const n = await h.db.prisma.watchAlert.count();
      await deliver(investDemoUscc(2), { kind: 'arrears', category: 'tax', amount: 1000, occurredOn: today });
      const queued = { topic: 'record.negative', entityId: idOf.get(investDemoUscc(2)), deliveredAt: null };
      expect(await h.db.prisma.outbox.count({ where: queued })).toBe(1);
      await relay();
      expect(await h.db.prisma.outbox.count({ where: queued })).toBe(0);
      expect(await h.db.prisma.watchAlert.count()).toBe(n);
    });
  });

  describe('saved screenings', () => {
    let saved: SavedScreening;

    it('saves a named filter, runs it, and on a re-run reports what was added, removed and regraded', async () => {
      const r = await h.post<SavedScreening>(
        '/invest/screenings',
        {
          name: '大豆链 B 级以上',
          filter: { chain: 'soybean', minGrade: 'C', creditGate: 'false' },
          purpose: '年度招商推介',
        },
        officer.auth,
      );
      expectStatus(r, 201, 'saveScreening');
      saved = r.body;
      expect(saved.filterText).toContain('大豆全产业链');
      const dup = await h.post(
        '/invest/screenings',
        { name: '大豆链 B 级以上', filter: {}, purpose: '年度招商推介' },
        officer.auth,
      );
      expect(dup.status).toBe(409);

      const first = await h.post<ScreeningRun>(`/invest/screenings/${saved.screeningId}/runs`, {}, officer.auth);
      expectStatus(first, 201, 'runSavedScreening');
      expect(first.body.diff).toBeNull();
      expect(first.body.notice).toBe(NOTICE);
      const A = idOf.get(investDemoUscc(1))!;
      expect(first.body.items.map((i) => i.entityId)).toContain(A);

      // A falls out (a serious listing) and a new soybean company comes in.
      await deliver(investDemoUscc(1), { kind: 'dishonesty_listing', occurredOn: today });
      const fresh = investDemoUscc(901);
      const reg = await IngestRun.start(h.db, h.vault, SRC, { chunkSize: 10 });
      await reg.push({
        line: 1,
        raw: {
          type: 'registration',
          sourceSystem: SRC,
          sourceId: `${fresh}-REG`,
          uscc: fresh,
          name: '黑河新豆食品有限公司',
          entityType: '有限责任公司',
          establishedOn: '2020-01-01',
          registeredCapital: 1e6,
          paidInCapital: 1e6,
          industryCode: 'C1331',
          regionCode: '231102',
        },
      });
      await reg.finish();
      const second = await h.post<ScreeningRun>(`/invest/screenings/${saved.screeningId}/runs`, {}, officer.auth);
      const d = second.body.diff!;
      const moved = [...d.removed, ...d.gradeChanged].map((e) => e.entityId);
      expect(moved).toContain(A);
      expect(second.body.previousRunAt).toBe(first.body.ranAt);
      expect(second.body.screening.runs).toBe(2);
    });

    it('lists only the caller’s screenings and exports the last run with its diff and the notice', async () => {
      const mine = await h.get<{ items: SavedScreening[] }>('/invest/screenings', officer.auth);
      expectStatus(mine, 200, 'listScreenings');
      expect(mine.body.items.map((s) => s.screeningId)).toEqual([saved.screeningId]);
      expect((await h.get<{ items: SavedScreening[] }>('/invest/screenings', other.auth)).body.items).toEqual([]);

      const wb = await workbook(h, `/invest/screenings/${saved.screeningId}/xlsx`, officer.auth);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['概要', '企业清单', '较上次变化']);
      for (const ws of wb.worksheets) expect(cells(ws)).toContain(NOTICE);
      expect(cells(wb.getWorksheet('概要')!)).toContain('大豆链 B 级以上');

      for (const path of [`/invest/screenings/${saved.screeningId}/xlsx`]) {
        expect((await h.get(path, other.auth)).status).toBe(404);
        expect((await h.get(path, reviewer.auth)).status).toBe(403);
      }
      expect((await h.post(`/invest/screenings/${saved.screeningId}/runs`, {}, other.auth)).status).toBe(404);
    });
  });

  describe('入园 check', () => {
    it('checks a pasted batch in one go: a row per code, failures called out, stored, exported and audited', async () => {
      const good = investDemoUscc(3);
      const low = investDemoUscc(5);
      const wrongCheck = investDemoUscc(4).slice(0, 17) + (investDemoUscc(4).endsWith('0') ? '1' : '0');
      const unknown = investDemoUscc(902);
      const text = `统一社会信用代码,名称\n${good},兴边控股\n${low}\n${wrongCheck}；${unknown}\n${good}\n黑河某某公司\n12345`;
      const r = await h.post<ParkCheck>(
        '/invest/park-checks',
        { text, purpose: '边合区入园审核', park: '黑河边境经济合作区', fileName: 'batch.csv' },
        officer.auth,
      );
      expectStatus(r, 201, 'runParkCheck');
      const rows = r.body.rows;
      expect(rows.map((x) => x.input)).toEqual([good, low, wrongCheck, unknown, good, '黑河某某公司', '12345']);
      const codes = rows.map((x) => x.failures.map((f) => f.code));
      expect(rows[0]).toMatchObject({ name: '黑河兴边控股有限公司', gatePassed: true, failures: [] });
      expect(rows[1]!.gatePassed).toBe(false);
      expect(codes[1]).toContain('grade_below');
      // A wrong check character is flagged, and the code still looked up (here: nobody has it).
      expect(rows[2]).toMatchObject({ checksumOk: false, uscc: wrongCheck });
      expect(codes[2]).toEqual(['checksum', 'not_found']);
      expect(codes[3]).toEqual(['not_found']);
      expect(codes[4]).toEqual(['duplicate']);
      expect(codes[5]).toEqual(['malformed']);
      expect(codes[6]).toEqual(['malformed']);
      expect(r.body).toMatchObject({ total: 7, passed: 1, failed: 6, park: '黑河边境经济合作区', notice: NOTICE });
      expect(r.body.number).toMatch(/^RYHC-\d{8}-\d{6}$/);

      const audit = await h.db.query<{ detail: { purpose: string; total: number } }>(
        `SELECT detail FROM audit_log WHERE action = 'invest.park_check.run' AND object_id = $1`,
        [String(r.body.parkCheckId)],
      );
      expect(audit[0]!.detail).toMatchObject({ purpose: '边合区入园审核', total: 7 });

      const got = await h.get<ParkCheck>(`/invest/park-checks/${r.body.parkCheckId}`, officer.auth);
      expectStatus(got, 200, 'getParkCheck');
      expect(got.body.rows).toEqual(rows);
      const list = await h.get<{ items: Array<{ parkCheckId: number }> }>('/invest/park-checks', officer.auth);
      expectStatus(list, 200, 'listParkChecks');
      expect(list.body.items.map((i) => i.parkCheckId)).toEqual([r.body.parkCheckId]);

      const wb = await workbook(h, `/invest/park-checks/${r.body.parkCheckId}/xlsx`, officer.auth);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['概要', '核查结果', '问题清单']);
      expect(wb.getWorksheet('问题清单')!.rowCount).toBe(1 + 6 + 2);
      for (const ws of wb.worksheets) expect(cells(ws)).toContain(NOTICE);

      expect((await h.get(`/invest/park-checks/${r.body.parkCheckId}`, other.auth)).status).toBe(404);
      expect((await h.get(`/invest/park-checks/${r.body.parkCheckId}/xlsx`, other.auth)).status).toBe(404);
      expect((await h.get(`/invest/park-checks/${r.body.parkCheckId}`, reviewer.auth)).status).toBe(403);
      await expect(h.db.query(`DELETE FROM park_check`)).rejects.toThrow(/immutable/);
    });

    it('caps the batch: more than 500 codes is refused with the count, and nothing recognisable says so', async () => {
      const many = Array.from({ length: 501 }, (_, i) => investDemoUscc(1000 + i)).join('\n');
      const r = await h.post<{ error: { code: string; message: string } }>(
        '/invest/park-checks',
        { text: many, purpose: '批量核查' },
        officer.auth,
      );
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(r.body.error.message).toContain('501');
      const none = await h.post('/invest/park-checks', { text: '\n\n', purpose: '批量核查' }, officer.auth);
      expect(none.status).toBe(400);
    });
  });

  describe('check report PDF', () => {
    it('exports a stored check as a PDF in the embedded Noto Sans SC, with every section and the notice on each page', async () => {
      const run = await h.post<{ checkId: number; number: string }>(
        '/invest/checks',
        { entityId: idOf.get(investDemoUscc(0)), purpose: '签约前核查' },
        officer.auth,
      );
      expectStatus(run, 201, 'runTargetCheck');
      const res = await fetch(`${h.baseUrl}/invest/checks/${run.body.checkId}/pdf`, {
        headers: { authorization: `Bearer ${officer.accessToken}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-pdf-'));
      const file = path.join(dir, 'check.pdf');
      fs.writeFileSync(file, bytes);
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      for (const s of [
        '招商对象信用核查报告',
        run.body.number,
        '黑河北疆大豆科技有限公司',
        '红旗预警',
        '疑似实际控制人',
        '赵德胜',
        '关联主体',
        '主要人员',
        '对外投资',
        // Who checked, in words, not the actor's id.
        `${officer.username}（招商专员）`,
      ])
        expect(text.replace(/\s/g, '')).toContain(s);
      expect(text).not.toContain('investment_officer:');
      const pages = text.split('\f').filter((p) => p.trim());
      expect(pages.length).toBeGreaterThan(1);
      for (const p of pages) expect(p.replace(/\s/g, '')).toContain(NOTICE);
      // Only masked ID numbers.
      expect(text).not.toMatch(/\d{17}[\dX]/);
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
      expect(fonts.length).toBeGreaterThan(0);
      for (const row of fonts) expect(row).toMatch(/^[A-Z]{6}\+NotoSansSC-\S+ .* yes yes /);
      const out = path.join(__dirname, '../artifacts/invest');
      fs.mkdirSync(out, { recursive: true });
      if (backend === 'postgres')
        execFileSync('pdftoppm', ['-r', '80', '-png', '-l', '3', file, path.join(out, 'check-pdf')]);

      const audit = await h.db.query<{ detail: { format: string } }>(
        `SELECT detail FROM audit_log WHERE action = 'invest.check.export' AND object_id = $1`,
        [String(run.body.checkId)],
      );
      expect(audit.map((a) => a.detail.format)).toEqual(['pdf']);
      expect((await h.get(`/invest/checks/${run.body.checkId}/pdf`, reviewer.auth)).status).toBe(403);
      expect((await h.get(`/invest/checks/999999/pdf`, officer.auth)).status).toBe(404);
    });
  });

  describe('key chains', () => {
    it('lets an administrator change a chain’s GB/T 4754 codes, checked in shape and audited with the reason', async () => {
      const body = { name: '大豆全产业链', prefixes: ['A0121', 'c1331', 'C133', 'F51'], reason: '补充大豆批发' };
      const r = await h.http<{ prefixes: string[]; updatedBy: string }>('PUT', '/invest/chains/soybean', {
        auth: admin.auth,
        body,
      });
      expectStatus(r, 200, 'updateIndustryChain');
      expect(r.body.prefixes).toEqual(['A0121', 'C1331', 'C133', 'F51']);
      expect(r.body.updatedBy).toBe(`admin:${admin.username}`);
      const audit = await h.db.query<{ detail: { purpose: string; before: { prefixes: string[] } } }>(
        `SELECT detail FROM audit_log WHERE action = 'invest.chain.update'`,
      );
      expect(audit[0]!.detail.purpose).toBe('补充大豆批发');
      expect(audit[0]!.detail.before.prefixes).toContain('C1329');

      for (const bad of [['A13'], ['C1'], ['Z01'], ['C13311'], ['C1331', 'C1331']]) {
        const x = await h.http<{ error: { code: string; details: Array<{ message: string }> } }>(
          'PUT',
          '/invest/chains/soybean',
          { auth: admin.auth, body: { ...body, prefixes: bad } },
        );
        expect([bad, x.status]).toEqual([bad, 400]);
      }
      expect((await h.http('PUT', '/invest/chains/soybean', { auth: officer.auth, body })).status).toBe(403);
      expect((await h.http('PUT', '/invest/chains/nope', { auth: admin.auth, body })).status).toBe(404);
    });
  });
});
