import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SecretBox } from '../../cloud/src/common/secret-box';
import type { Database } from '../../cloud/src/db/database';
import { wechatDeliverer } from '../../cloud/src/notify/notify.outbox';
import { webhookDeliverer } from '../../cloud/src/outbox/deliverers';
import { enqueue, noticeRegulators } from '../../cloud/src/outbox/outbox';
import { resultHash, type ResultContent } from '../../cloud/src/outbox/result-payload';
import { RESULT_NOTICE } from '@heihe/shared';
import { OutboxRegistry } from '../../cloud/src/outbox/outbox.registry';
import { OutboxRelay, type Deliverer, type DeliveryOutcome, type RelayOptions } from '../../cloud/src/outbox/relay';
import { bootstrap } from '../../cloud/src/bootstrap';
import { buildRelay, relayBuckets, relayRegistry } from '../../cloud/src/relay';
import { SubscriptionsService } from '../../cloud/src/outbox/subscriptions.service';
import { HostResolver, WebhookTargetPolicy, type ResolvedAddress } from '../../cloud/src/outbox/webhook-target';
import { testConfig } from '../../cloud/src/testing/config';
import { createTestDatabase, testBackends, type TestDatabase } from '../../cloud/src/testing/test-db';
import { startFakeWechat, type FakeWechat } from '../../cloud/src/wechat/fake-server';
import { HttpWechatApi } from '../../cloud/src/wechat/wechat.http';
import type { WechatApi } from '../../cloud/src/wechat/wechat.port';
import { stringBucket } from '../../cloud/src/db/shard';
import { outboxBucketMismatches } from '../support/buckets';
import { aJpeg, rightsServices, seedEntity, seedUser, staff } from './support/fixtures';
import { DedupReceiver, sleep, until } from './support/receiver';

const RELAY_MAIN = path.resolve(__dirname, '../../cloud/dist/relay.main.js');
const fast: RelayOptions = { batchSize: 10, leaseMs: 300, backoffBaseMs: 50, backoffMaxMs: 200, maxAttempts: 5 };

interface Row {
  delivered: boolean;
  attempts: number;
  last_error: string | null;
}

/** DNS the test can repoint; names it does not know fail to resolve, as real DNS would for them. */
class SwitchableResolver extends HostResolver {
  readonly table = new Map<string, string[]>();
  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    const found = this.table.get(hostname);
    if (!found) throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }
}

describe.each(testBackends())('transactional outbox and relay on %s', (backend) => {
  let t: TestDatabase;
  let s: ReturnType<typeof rightsServices>;
  let dir: string;
  let receiver: DedupReceiver;
  let secret = '';
  let subscriptionId = 0;
  let fake: FakeWechat;
  let wechat: WechatApi;
  let resolver: SwitchableResolver;

  beforeAll(async () => {
    t = await createTestDatabase(backend);
    fake = await startFakeWechat({ appId: 'wx-outbox', appSecret: 'outbox-secret' });
    wechat = new HttpWechatApi({ baseUrl: fake.url, appId: 'wx-outbox', appSecret: 'outbox-secret', timeoutMs: 2000 });
  }, 60_000);
  beforeEach(async () => {
    await t.reset();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-evidence-'));
    s = rightsServices(t.db, { evidenceDir: dir, wechat });
    receiver = await new DedupReceiver(() => secret).start();
    resolver = new SwitchableResolver();
    const sub = await subscriptions().create(
      { name: '市市场监管局', webhookUrl: receiver.url, industryPrefix: 'C', regionPrefix: null },
      staff('admin'),
    );
    secret = sub.secret;
    subscriptionId = sub.id;
  });
  afterEach(async () => {
    await receiver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await fake?.close();
    await t?.drop();
  });

  /** An upheld objection: the decision commits its regulator notice in the same transaction. */
  async function upheld(
    opts: { withRecall?: boolean } = {},
  ): Promise<{ objectionId: number; entityId: number; userId: number }> {
    const e = await seedEntity(t.db, {
      scoredAt: '2026-09-29T00:00:00Z',
      records: [{ key: 'P1', kind: 'penalty', occurredOn: '2026-08-20', severity: 'general' }],
    });
    const user = await seedUser(t.db, [e.entityId]);
    const ev = await s.evidence.upload(user, e.entityId, {
      buffer: aJpeg(),
      originalname: 'a.jpg',
      size: aJpeg().length,
    });
    const o = await s.objections.create(user, {
      entityId: e.entityId,
      recordId: e.records.P1!,
      ground: 'wrong',
      statement: '该处罚认定对象错误，请核查。',
      evidenceIds: [ev.id],
    });
    await s.objections.decide(staff(), o.id, { action: 'accept' });
    await s.objections.decide(staff(), o.id, {
      action: 'uphold',
      reason: '认定对象错误，撤销。',
      correction: { action: 'revoke' },
    });
    // The revocation also recalls earlier results (its own test below); the other tests follow the
    // decision's one message.
    if (!opts.withRecall) await t.db.query(`DELETE FROM outbox WHERE topic = 'result.recalled'`);
    return { objectionId: o.id, entityId: e.entityId, userId: user.userId };
  }

  /** Subscriptions as the API registers them; `allowed` is WEBHOOK_ALLOWED_HOSTS (tests allow 127.0.0.1). */
  const subscriptions = (allowed?: string) =>
    new SubscriptionsService(
      t.db,
      allowed === undefined ? s.config : testConfig({ WEBHOOK_ALLOWED_HOSTS: allowed }),
      s.clock,
      resolver,
    );
  const webhook = (db: Database, allowed?: string): Deliverer =>
    webhookDeliverer(
      db,
      new SecretBox(s.config.WEBHOOK_SECRET_KEY),
      new WebhookTargetPolicy(
        allowed === undefined
          ? s.config.WEBHOOK_ALLOWED_HOSTS
          : testConfig({ WEBHOOK_ALLOWED_HOSTS: allowed }).WEBHOOK_ALLOWED_HOSTS,
        resolver,
      ),
      2000,
    );
  const relay = (deliver: Deliverer = webhook(t.db), opts: Partial<RelayOptions> = {}) =>
    new OutboxRelay(t.db, { webhook: deliver }, {}, { ...fast, ...opts });
  const row = async (messageId: string, subscription = subscriptionId) =>
    (
      await t.db.query<Row>(
        `SELECT delivered_at IS NOT NULL AS delivered, attempts, last_error FROM outbox WHERE message_id = $1 AND destination = $2`,
        [messageId, `webhook:${subscription}`],
      )
    )[0]!;

  it('delivers an upheld objection to the subscribed department, signed, with the scores', async () => {
    const { objectionId, entityId } = await upheld();

    const run = await relay().drain();

    expect(run.retried).toBe(0);
    expect(receiver.receipts).toEqual([
      {
        messageId: `objection.upheld:${objectionId}`,
        topic: 'objection.upheld',
        attempt: 1,
        body: expect.any(String),
        signatureValid: true,
      },
    ]);
    expect(JSON.parse(receiver.receipts[0]!.body)).toMatchObject({
      messageId: `objection.upheld:${objectionId}`,
      data: {
        entity: { id: entityId },
        record: { status: 'revoked' },
        score: { before: 767, after: 807, gradeBefore: 'C', gradeAfter: 'B' },
      },
    });
    expect(await row(`objection.upheld:${objectionId}`)).toEqual({ delivered: true, attempts: 1, last_error: null });
  });

  it('retries with backoff after a failure, with the same message ID and body', async () => {
    const { objectionId } = await upheld();
    receiver.reply = (n) => (n === 0 ? 'fail' : 'ok');
    // A backoff (0.75–1.5 s with its jitter) that a loaded machine does not outrun between two passes.
    const sut = relay(webhook(t.db), { backoffBaseMs: 1500, backoffMaxMs: 1500 });

    await sut.runOnce();
    const afterFailure = await row(`objection.upheld:${objectionId}`);
    const immediately = await sut.runOnce();
    await sleep(1600);
    await sut.drain();

    expect(afterFailure).toEqual({ delivered: false, attempts: 1, last_error: 'webhook answered HTTP 500' });
    expect(immediately.claimed).toBe(0);
    expect(receiver.receipts.map((r) => r.attempt)).toEqual([1, 2]);
    expect(receiver.receipts[0]!.body).toBe(receiver.receipts[1]!.body);
    expect(await row(`objection.upheld:${objectionId}`)).toEqual({ delivered: true, attempts: 2, last_error: null });
  });

  it('loses nothing when the relay dies between delivery and acknowledgement: the receiver processes it exactly once', async () => {
    const { objectionId } = await upheld();
    const real = webhook(t.db);
    // This relay delivers and then never comes back: as if its process died before marking.
    const dying = relay(async (m) => {
      await real(m);
      return new Promise(() => undefined);
    });
    void dying.runOnce();
    await receiver.arrived(1);
    expect(await row(`objection.upheld:${objectionId}`)).toMatchObject({ delivered: false, attempts: 1 });

    const early = await relay().runOnce();
    await sleep(fast.leaseMs + 50);
    const late = await relay().drain();

    expect(early.claimed).toBe(0);
    expect(late.delivered).toBe(1);
    expect(receiver.receipts.map((r) => r.messageId)).toEqual([
      `objection.upheld:${objectionId}`,
      `objection.upheld:${objectionId}`,
    ]);
    expect([...receiver.processed.keys()]).toEqual([`objection.upheld:${objectionId}`]);
    expect(await row(`objection.upheld:${objectionId}`)).toEqual({ delivered: true, attempts: 2, last_error: null });
  });

  it('parks a message after the last attempt, and an administrator can put it back', async () => {
    const { objectionId } = await upheld();
    receiver.reply = () => 'fail';
    const sut = relay(webhook(t.db), { maxAttempts: 2, backoffBaseMs: 1, backoffMaxMs: 1 });
    await sut.runOnce();
    await sleep(10);
    await sut.runOnce();
    await sleep(10);

    const parked = await subscriptions().outboxStatus(2);
    expect(parked).toMatchObject({
      parked: 1,
      parkedItems: [{ messageId: `objection.upheld:${objectionId}`, attempts: 2 }],
    });
    expect((await sut.runOnce()).claimed).toBe(0);

    receiver.reply = () => 'ok';
    await subscriptions().retry(parked.parkedItems[0]!.id, staff('admin'));
    await sut.drain();
    expect(await row(`objection.upheld:${objectionId}`)).toMatchObject({ delivered: true });
  });

  it('counts what is pending, retrying and parked, and dates the oldest undelivered message', async () => {
    const at = (id: string) => ({
      messageId: id,
      destination: 'internal',
      topic: 'probe',
      entityId: null,
      payload: {},
    });
    for (const id of ['a', 'b', 'c', 'd', 'e']) await t.db.tx((sql) => enqueue(sql, at(id)));
    await t.db.query(`UPDATE outbox SET attempts = 1 WHERE message_id = 'b'`);
    await t.db.query(`UPDATE outbox SET attempts = 5, last_error = 'gave up' WHERE message_id IN ('c', 'd')`);
    await t.db.query(`UPDATE outbox SET delivered_at = now() WHERE message_id = 'e'`);
    await t.db.query(`UPDATE outbox SET created_at = '2026-09-01T00:00:00Z' WHERE message_id = 'd'`);

    const sut = await subscriptions().outboxStatus(5);

    expect(sut).toEqual({
      pending: 1,
      retrying: 1,
      parked: 2,
      oldestUndeliveredAt: '2026-09-01T00:00:00.000Z',
      parkedItems: [
        expect.objectContaining({ messageId: 'c', attempts: 5, lastError: 'gave up' }),
        expect.objectContaining({ messageId: 'd', attempts: 5, lastError: 'gave up' }),
      ],
    });
  });

  it('two relays over disjoint ranges of buckets deliver every message once between them, each claiming its own buckets only (ADR 0027)', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `probe:${i}`);
    for (const messageId of ids)
      await t.db.tx((sql) =>
        enqueue(sql, { messageId, destination: 'internal', topic: 'probe', entityId: null, payload: {} }),
      );
    const seen: { relay: string; messageId: string; bucket: number }[] = [];
    const over = (relay: string, from: number, to: number) =>
      new OutboxRelay(
        t.db,
        {},
        { probe: async (_sql, m) => void seen.push({ relay, messageId: m.messageId, bucket: m.bucket }) },
        { ...fast, batchSize: 3, buckets: { from, to } },
      );

    const [low, high] = await Promise.all([over('low', 0, 2047).drain(), over('high', 2048, 4095).drain()]);

    expect(seen.map((m) => m.messageId).sort()).toEqual([...ids].sort());
    // Each relay had work, and only of its own buckets; a message about no entity is in its id's bucket.
    expect(new Set(seen.map((m) => `${m.relay} claimed ${m.bucket < 2048 ? 'low' : 'high'}`))).toEqual(
      new Set(['low claimed low', 'high claimed high']),
    );
    expect(seen.filter((m) => m.bucket !== stringBucket(m.messageId))).toEqual([]);
    expect([low.claimed + high.claimed, low.retried + high.retried]).toEqual([ids.length, 0]);
    const [rows] = await t.db.query<{ delivered: number; once: number }>(
      `SELECT count(*) FILTER (WHERE delivered_at IS NOT NULL)::int AS delivered,
         count(*) FILTER (WHERE attempts = 1)::int AS once FROM outbox`,
    );
    expect(rows).toEqual({ delivered: ids.length, once: ids.length });
  });

  it("queues every message in its entity's bucket, or its message id's when it is about no entity", async () => {
    const { entityId } = await upheld({ withRecall: true });
    const probe = (messageId: string, about: number | null) =>
      t.db.tx((sql) =>
        enqueue(sql, { messageId, destination: 'internal', topic: 'probe', entityId: about, payload: {} }),
      );
    await probe('probe:entity', entityId);
    await probe('probe:none', null);

    const topics = await t.db.query<{ topic: string; destination: string }>(
      `SELECT DISTINCT topic, split_part(destination, ':', 1) AS destination FROM outbox ORDER BY 1, 2`,
    );

    // The score update (grade.changed), the regulators' notices and enqueue.
    expect(topics).toEqual(
      expect.arrayContaining([
        { topic: 'grade.changed', destination: 'internal' },
        { topic: 'objection.upheld', destination: 'webhook' },
        { topic: 'result.recalled', destination: 'webhook' },
        { topic: 'probe', destination: 'internal' },
      ]),
    );
    expect(await outboxBucketMismatches(t.db)).toEqual({ rows: expect.any(Number), wrong: 0 });
  });

  it('queues a notice for each enabled department whose set prefixes match the entity, once per message ID', async () => {
    const e = await seedEntity(t.db, { industryCode: 'C1331', regionCode: '231102', records: [] });
    const sub = (name: string, industryPrefix: string | null, regionPrefix: string | null) =>
      subscriptions().create({ name, webhookUrl: receiver.url, industryPrefix, regionPrefix }, staff('admin'));
    const region = await sub('爱辉区', null, '2311');
    const both = await sub('市农业局', 'C13', '231102');
    await sub('外区', 'C', '2312');
    await sub('建筑业', 'E', null);
    const disabled = await sub('已停用', 'C1', null);
    await subscriptions().disable(disabled.id, staff('admin'));
    const notice = {
      messageId: 'probe:1',
      topic: 'result.grade_changed' as const,
      entityId: e.entityId,
      payload: {
        modelVersion: 1,
        asOf: '2026-10-01T00:00:00.000Z',
        entity: { id: e.entityId, uscc: e.uscc, name: '探针公司', industryCode: 'C1331', regionCode: '231102' },
        evaluationId: '1',
        fromGrade: 'B',
        grade: 'A',
        total: 905,
      },
    };

    const first = await t.db.tx((sql) => noticeRegulators(sql, notice));
    const again = await t.db.tx((sql) => noticeRegulators(sql, notice));

    const rows = await t.db.query<{ destination: string }>(
      `SELECT destination FROM outbox WHERE message_id = 'probe:1' ORDER BY id`,
    );
    expect(rows.map((r) => r.destination)).toEqual([
      `webhook:${subscriptionId}`,
      `webhook:${region.id}`,
      `webhook:${both.id}`,
    ]);
    expect([first, again]).toEqual([3, 0]);
  });

  it('seals what it queues (content hash and the advisory notice) and refuses a payload its topic does not publish', async () => {
    const e = await seedEntity(t.db, { industryCode: 'C1331', regionCode: '231102', records: [] });
    const content = {
      modelVersion: 2,
      asOf: '2026-10-01T00:00:00.000Z',
      entity: { id: e.entityId, uscc: e.uscc, name: '探针公司', industryCode: 'C1331', regionCode: '231102' },
      evaluationId: '7',
      fromGrade: 'C' as const,
      grade: 'B' as const,
      total: 812,
    };

    await t.db.tx((sql) =>
      noticeRegulators(sql, {
        messageId: 'seal:1',
        topic: 'result.grade_changed',
        entityId: e.entityId,
        payload: content,
      }),
    );
    const bad = t.db.tx((sql) =>
      noticeRegulators(sql, {
        messageId: 'seal:2',
        topic: 'result.grade_changed',
        entityId: e.entityId,
        payload: { modelVersion: 2, asOf: content.asOf, entity: content.entity },
      }),
    );

    const [queued] = await t.db.query<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM outbox WHERE message_id = 'seal:1'`,
    );
    expect(queued!.payload).toEqual({ ...content, hash: resultHash(content), notice: RESULT_NOTICE });
    await expect(bad).rejects.toThrow();
    expect(await t.db.query(`SELECT 1 FROM outbox WHERE message_id = 'seal:2'`)).toEqual([]);
  });

  it('sends a result about no one entity (a cycle, a model) to every enabled department', async () => {
    const other = await subscriptions().create(
      { name: '市住建局', webhookUrl: receiver.url, industryPrefix: 'E', regionPrefix: null },
      staff('admin'),
    );
    const off = await subscriptions().create(
      { name: '已停用', webhookUrl: receiver.url, industryPrefix: 'F', regionPrefix: null },
      staff('admin'),
    );
    await subscriptions().disable(off.id, staff('admin'));

    const n = await t.db.tx((sql) =>
      noticeRegulators(sql, {
        messageId: 'model.published:9',
        topic: 'model.published',
        entityId: null,
        payload: { modelVersion: 9, asOf: '2026-10-01T00:00:00.000Z', name: '模型 9', effectiveFrom: '2026-10-02' },
      }),
    );

    expect(n).toBe(2);
    expect(
      (
        await t.db.query<{ destination: string }>(
          `SELECT destination FROM outbox WHERE message_id = 'model.published:9' ORDER BY destination`,
        )
      ).map((r) => r.destination),
    ).toEqual([`webhook:${subscriptionId}`, `webhook:${other.id}`].sort());
  });

  it('recalls the results that counted a record an upheld objection revoked', async () => {
    const { objectionId, entityId } = await upheld({ withRecall: true });

    await relay().drain();

    const recall = receiver.receipts.find((r) => r.topic === 'result.recalled');
    expect(recall?.signatureValid).toBe(true);
    const data = (JSON.parse(recall!.body) as { data: Record<string, unknown> }).data;
    expect(data).toMatchObject({
      entity: { id: entityId },
      replacedBy: expect.any(String),
      notice: RESULT_NOTICE,
      modelVersion: expect.any(Number),
    });
    const { hash, notice: _notice, ...content } = data;
    expect(hash).toBe(resultHash(content as ResultContent));
    expect(receiver.receipts.find((r) => r.topic === 'objection.upheld')?.messageId).toBe(
      `objection.upheld:${objectionId}`,
    );
  });

  it('keeps the time a subscription was first disabled', async () => {
    s.clock.set('2026-10-01T00:00:00Z');
    const first = await subscriptions().disable(subscriptionId, staff('admin'));
    s.clock.set('2026-10-02T00:00:00Z');

    const sut = await subscriptions().disable(subscriptionId, staff('admin'));

    expect(first.disabledAt).toBe('2026-10-01T00:00:00.000Z');
    expect(sut).toEqual(first);
    expect((await subscriptions().list()).items).toEqual([first]);
  });

  it('sends nothing to a department whose subscription was disabled after the decision', async () => {
    const { objectionId } = await upheld();
    await subscriptions().disable(subscriptionId, staff('admin'));

    await relay().drain();

    expect(receiver.receipts).toEqual([]);
    expect(await row(`objection.upheld:${objectionId}`)).toEqual({
      delivered: true,
      attempts: 1,
      last_error: 'subscription disabled: not sent',
    });
  });

  it.each([
    ['plain http', 'http://dept.example.com/hook', '必须使用 https'],
    ['the cloud metadata address', 'https://169.254.169.254/latest/meta-data/', '内网或保留地址（169.254.169.254）'],
    ['loopback in hex', 'https://0x7f000001/hook', '内网或保留地址（127.0.0.1）'],
    ['loopback as one number', 'https://2130706433/hook', '内网或保留地址（127.0.0.1）'],
    ['loopback written short', 'https://127.1/hook', '内网或保留地址（127.0.0.1）'],
    ['the test receiver itself, once not allowlisted', 'http://127.0.0.1:9/hook', '内网或保留地址（127.0.0.1）'],
    ['IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/hook', '内网或保留地址（::ffff:7f00:1）'],
    ['IPv6 loopback', 'https://[::1]/hook', '内网或保留地址（::1）'],
    ['a private range', 'https://10.20.30.40/hook', '内网或保留地址（10.20.30.40）'],
    ['a private range', 'https://192.168.0.10/hook', '内网或保留地址（192.168.0.10）'],
    ['a name that resolves inside', 'https://intranet.dept.example.com/hook', '内网或保留地址（172.16.5.5）'],
  ])('refuses to register %s as a webhook: %s', async (_what, webhookUrl, reason) => {
    resolver.table.set('dept.example.com', ['93.184.215.14']);
    resolver.table.set('intranet.dept.example.com', ['172.16.5.5']);

    const sut = subscriptions('').create(
      { name: '某部门', webhookUrl, industryPrefix: 'C', regionPrefix: null },
      staff('admin'),
    );

    await expect(sut).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: `不允许的回调地址：${reason}`,
      details: [{ path: 'webhookUrl', message: reason }],
    });
    const [n] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM regulator_subscription WHERE webhook_url = $1`,
      [webhookUrl],
    );
    expect(n!.n).toBe(0);
  });

  it('refuses at delivery a host whose DNS has since turned to an inside address: one failed attempt, parked, never sent', async () => {
    await subscriptions().disable(subscriptionId, staff('admin'));
    resolver.table.set('dept.example.com', ['93.184.215.14']);
    const dept = await subscriptions('').create(
      { name: '市住建局', webhookUrl: 'https://dept.example.com/hook', industryPrefix: 'C', regionPrefix: null },
      staff('admin'),
    );
    const { objectionId } = await upheld();
    resolver.table.set('dept.example.com', ['93.184.215.14', '10.0.0.7']);
    const outcomes: DeliveryOutcome[] = [];
    const sut = relay(async (m) => {
      const outcome = await webhook(t.db, '')(m);
      if (m.destination === `webhook:${dept.id}`) outcomes.push(outcome);
      return outcome;
    });

    await sut.drain();
    const again = await sut.drain();

    const error = 'webhook target refused (private_address): 内网或保留地址（10.0.0.7）';
    expect(outcomes).toEqual([{ done: false, final: true, error }]);
    expect(await row(`objection.upheld:${objectionId}`, dept.id)).toEqual({
      delivered: false,
      attempts: fast.maxAttempts,
      last_error: error,
    });
    expect(again.claimed).toBe(0);
    expect(await subscriptions().outboxStatus(fast.maxAttempts)).toMatchObject({
      parkedItems: [{ destination: `webhook:${dept.id}`, lastError: error }],
    });
  });

  it('delivers to a name the allowlist trusts by range, connecting to the address it checked', async () => {
    await subscriptions().disable(subscriptionId, staff('admin'));
    resolver.table.set('receiver.dept.test', ['127.0.0.1']);
    const port = new URL(receiver.url).port;
    const dept = await subscriptions('127.0.0.0/8').create(
      {
        name: '市税务局',
        webhookUrl: `http://receiver.dept.test:${port}/hook`,
        industryPrefix: 'C',
        regionPrefix: null,
      },
      staff('admin'),
    );
    secret = dept.secret;
    const { objectionId } = await upheld();

    await relay(webhook(t.db, '127.0.0.0/8')).drain();

    expect(receiver.receipts.map((r) => [r.messageId, r.signatureValid])).toEqual([
      [`objection.upheld:${objectionId}`, true],
    ]);
    expect(await row(`objection.upheld:${objectionId}`, dept.id)).toMatchObject({ delivered: true });
  });

  it('turns a grade change into one subscribe message per consenting user, exactly once, through WeChat', async () => {
    const { entityId, userId } = await upheld();
    const [u] = await t.db.query<{ openid: string }>(`SELECT openid FROM app_user WHERE id = $1`, [userId]);
    await t.db.query(`INSERT INTO subscribe_consent (user_id, template_id) VALUES ($1, $2), ($1, $2)`, [
      userId,
      s.config.WECHAT_TEMPLATE_GRADE,
    ]);
    const sut = buildRelay(t.db, { ...s.config, OUTBOX_LEASE_MS: 300 }, wechat);

    await sut.drain();
    await sut.drain();

    const sent = fake.state.sentMessages.filter((m) => m.template_id === s.config.WECHAT_TEMPLATE_GRADE);
    expect(sent).toEqual([
      expect.objectContaining({
        touser: u!.openid,
        page: `packages/credit/pages/breakdown/index?entityId=${entityId}`,
        data: expect.objectContaining({ thing2: { value: '信用等级由C级变为B级' }, number3: { value: '807' } }),
      }),
    ]);
    const [left] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM subscribe_consent WHERE user_id = $1 AND used_at IS NULL`,
      [userId],
    );
    expect(left!.n).toBe(1);
  });

  it('records a user who refused the template in WeChat without retrying', async () => {
    const { userId, objectionId } = await upheld();
    const [u] = await t.db.query<{ openid: string }>(`SELECT openid FROM app_user WHERE id = $1`, [userId]);
    await fetch(`${fake.url}/__fake/subscription`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid: u!.openid, accept: false }),
    });
    await t.db.query(
      `INSERT INTO outbox (message_id, destination, topic, entity_id, bucket, payload)
       VALUES ($1, $2, 'objection.decided', NULL, uscc_bucket($1), $3::jsonb)`,
      [
        `probe:${objectionId}`,
        `wechat:${userId}`,
        JSON.stringify({
          userId,
          templateId: s.config.WECHAT_TEMPLATE_DECISION,
          page: 'pages/index/index',
          data: { thing1: { value: '信用异议' } },
        }),
      ],
    );
    const sut = new OutboxRelay(t.db, { wechat: wechatDeliverer(t.db, wechat) }, {}, fast);

    await sut.drain();

    const [r] = await t.db.query<Row>(
      `SELECT delivered_at IS NOT NULL AS delivered, attempts, last_error FROM outbox WHERE message_id = $1`,
      [`probe:${objectionId}`],
    );
    expect(r).toEqual({ delivered: true, attempts: 1, last_error: 'user refused the subscription: not sent' });
  });

  // Several processes cannot share embedded PGlite; this one needs the real server and the built relay.
  (backend === 'postgres' ? it : it.skip)(
    'loses nothing when the relay process is SIGKILLed mid-delivery: the department processes it exactly once',
    async () => {
      if (!fs.existsSync(RELAY_MAIN))
        throw new Error(`${RELAY_MAIN} is missing: run npm run build -w cloud (npm test does)`);
      const { objectionId } = await upheld();
      // This test follows the decision's one message: the standalone relay would also push the
      // grade change (results' handler of grade.changed) to the same department.
      await t.db.query(`DELETE FROM outbox WHERE topic = 'grade.changed' AND destination = 'internal'`);
      receiver.reply = (n) => (n === 0 ? 'hold' : 'ok');
      const env = {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: t.url,
        WEBHOOK_SECRET_KEY: s.config.WEBHOOK_SECRET_KEY,
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        OUTBOX_LEASE_MS: '500',
        OUTBOX_POLL_MS: '50',
        WECHAT_BASE_URL: fake.url,
      };
      const start = (): Promise<ChildProcess> =>
        new Promise((resolve, reject) => {
          const child = spawn(process.execPath, [RELAY_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          child.stdout!.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.includes('ready')) resolve(child);
          });
          child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
          child.on('exit', (code, signal) => (signal ? undefined : reject(new Error(`relay exited ${code}: ${out}`))));
        });

      const first = await start();
      await receiver.arrived(1);
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      expect(await row(`objection.upheld:${objectionId}`)).toMatchObject({ delivered: false, attempts: 1 });

      const second = await start();
      try {
        await until(async () => (await row(`objection.upheld:${objectionId}`)).delivered);
      } finally {
        second.kill('SIGTERM');
      }

      expect(receiver.receipts.map((r) => [r.messageId, r.attempt, r.signatureValid])).toEqual([
        [`objection.upheld:${objectionId}`, 1, true],
        [`objection.upheld:${objectionId}`, 2, true],
      ]);
      expect([...receiver.processed.keys()]).toEqual([`objection.upheld:${objectionId}`]);
      expect(await row(`objection.upheld:${objectionId}`)).toEqual({ delivered: true, attempts: 2, last_error: null });
    },
    60_000,
  );
});

describe('the standalone relay (relay.main.ts)', () => {
  it("serves the buckets of CYCLE_NODE's ranges in CYCLE_NODES, and every bucket when CYCLE_NODE is unset", () => {
    const CYCLE_NODES = 'a=0-99,b=100-4000,a=4001-4095';

    expect(relayBuckets({ CYCLE_NODES, CYCLE_NODE: 'a' })).toEqual([
      { from: 0, to: 99 },
      { from: 4001, to: 4095 },
    ]);
    expect(relayBuckets({ CYCLE_NODES, CYCLE_NODE: 'b' })).toEqual([{ from: 100, to: 4000 }]);
    expect(relayBuckets({ CYCLE_NODES, CYCLE_NODE: undefined })).toEqual([{ from: 0, to: 4095 }]);
    expect(() => relayBuckets({ CYCLE_NODES, CYCLE_NODE: 'c' })).toThrow('CYCLE_NODE c');
  });

  it('delivers every destination and internal topic that the API registers through DI', async () => {
    const own = await createTestDatabase('pglite');
    const config = testConfig({ OUTBOX_RELAY_ENABLED: 'false' });
    const app = await bootstrap(config, own.db, { logger: false });
    let api: OutboxRegistry;
    try {
      api = app.get(OutboxRegistry);
    } finally {
      await app.close();
      await own.drop();
    }
    const wechat = new HttpWechatApi({ baseUrl: 'http://127.0.0.1:9', appId: 'wx', appSecret: 's', timeoutMs: 1 });

    const sut = relayRegistry(own.db, config, wechat);

    expect(Object.keys(api.deliverers).sort()).toEqual(['webhook', 'wechat']);
    expect(api.handledBy).toEqual({
      'grade.changed': ['notify', 'results', 'invest', 'site'],
      'record.negative': ['invest', 'site'],
      'invest.watch.record': ['invest'],
    });
    expect(Object.keys(sut.deliverers).sort()).toEqual(Object.keys(api.deliverers).sort());
    expect(sut.handledBy).toEqual(api.handledBy);
  }, 60_000);
});
