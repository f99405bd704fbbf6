import { AppError, ErrorCodes } from '@heihe/shared';
import { certHash } from './face-verify';
import { startFakeWechat, type FakeWechat, type StartFakeWechatOptions } from './fake-server';
import { WechatError } from './wechat.errors';
import { HttpWechatApi, type HttpWechatApiOptions } from './wechat.http';
import type { SubscribeMessage } from './wechat.port';

const APP_ID = 'wx7a1b2c3d4e5f6a7b';
const APP_SECRET = 'f3c2a1b0e9d8c7b6a5f4e3d2c1b0a9f8';
const START = Date.parse('2026-03-02T09:00:00+08:00');
const LEGAL_REP = { name: '王建国', idNumber: '231102198001010019' };

let fake: FakeWechat;
let clock: number;

async function startFake(overrides: Partial<StartFakeWechatOptions> = {}): Promise<void> {
  fake = await startFakeWechat({ appId: APP_ID, appSecret: APP_SECRET, now: () => clock, ...overrides });
}

function makeSut(overrides: Partial<HttpWechatApiOptions> = {}): HttpWechatApi {
  return new HttpWechatApi({
    baseUrl: fake.url,
    appId: APP_ID,
    appSecret: APP_SECRET,
    timeoutMs: 2000,
    now: () => clock,
    ...overrides,
  });
}

async function fakePost<T>(path: string, body: unknown = {}): Promise<T> {
  const res = await fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}

const loginCode = (body: { openid?: string; unionid?: string } = {}) =>
  fakePost<{ code: string; openid: string }>('/__fake/login-code', body);

function message(overrides: Partial<SubscribeMessage> = {}): SubscribeMessage {
  return {
    touser: 'oUser-legal-rep-0001',
    templateId: 'tmpl-repair-result-01',
    page: 'pages/repair/detail?id=42',
    data: { thing1: { value: '信用修复申请已通过' }, time2: { value: '2026年3月2日 09:30' } },
    ...overrides,
  };
}

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

beforeEach(async () => {
  clock = START;
  await startFake();
});

afterEach(async () => {
  await fake.close();
});

describe('code2Session', () => {
  it('returns the openid of the person the code was issued to', async () => {
    const sut = makeSut();
    const { code, openid } = await loginCode({ openid: 'oLegalRep-000001' });

    const session = await sut.code2Session(code);

    expect(session.openid).toBe(openid);
    expect(session.unionid).toBeUndefined();
    expect(session.sessionKey).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it('returns the unionid when the app is bound to an open-platform account', async () => {
    const sut = makeSut();
    const { code } = await loginCode({ openid: 'oLegalRep-000002', unionid: 'uUnion-000002' });

    const session = await sut.code2Session(code);

    expect(session.unionid).toBe('uUnion-000002');
  });

  it('refuses a code used a second time as an invalid login code', async () => {
    const sut = makeSut();
    const { code } = await loginCode();
    await sut.code2Session(code);

    const err = await caught(sut.code2Session(code));

    expect(err).toMatchObject({
      code: ErrorCodes.WECHAT_INVALID_CODE,
      message: '登录凭证无效或已过期，请重新进入小程序',
    });
  });

  it('refuses a code nobody issued as an invalid login code', async () => {
    const sut = makeSut();

    const err = await caught(sut.code2Session('0a1b2c3d4e5f60718293a4b5c6d7e8f9'));

    expect(err).toMatchObject({ code: ErrorCodes.WECHAT_INVALID_CODE, errcode: 40029 });
  });

  it('refuses a code older than five minutes as an invalid login code', async () => {
    const sut = makeSut();
    const { code } = await loginCode();
    clock += 5 * 60_000 + 1;

    const err = await caught(sut.code2Session(code));

    expect(err.code).toBe(ErrorCodes.WECHAT_INVALID_CODE);
  });

  it('refuses an empty code without calling WeChat', async () => {
    const sut = makeSut();

    const err = await caught(sut.code2Session(''));

    expect(err.code).toBe(ErrorCodes.WECHAT_INVALID_CODE);
    expect(fake.state.sessionRequests).toBe(0);
  });

  it('maps 45011 to WECHAT_RATE_LIMITED', async () => {
    const err = await caught(makeSut().code2Session('rate-limited'));

    expect(err).toMatchObject({ code: ErrorCodes.WECHAT_RATE_LIMITED, errcode: 45011 });
    expect(err.message).toMatch(/请.*再试/);
  });

  it('maps 40226 to WECHAT_RISKY_USER', async () => {
    const err = await caught(makeSut().code2Session('risky'));

    expect(err).toMatchObject({ code: ErrorCodes.WECHAT_RISKY_USER, errcode: 40226 });
  });

  it('maps -1 to WECHAT_BUSY', async () => {
    const err = await caught(makeSut().code2Session('busy'));

    expect(err).toMatchObject({ code: ErrorCodes.WECHAT_BUSY, errcode: -1 });
  });

  it('maps a non-JSON answer to WECHAT_UNAVAILABLE', async () => {
    const err = await caught(makeSut().code2Session('not-json'));

    expect(err.code).toBe(ErrorCodes.WECHAT_UNAVAILABLE);
  });

  it('maps a wrong app secret to WECHAT_UNAVAILABLE', async () => {
    const sut = makeSut({ appSecret: 'a-wrong-secret-0000000000000000' });
    const { code } = await loginCode();

    const err = await caught(sut.code2Session(code));

    expect(err).toMatchObject({ code: ErrorCodes.WECHAT_UNAVAILABLE, errcode: 40125 });
  });

  it('maps an unreachable server to WECHAT_UNAVAILABLE', async () => {
    const gone = await startFakeWechat({ appId: APP_ID, appSecret: APP_SECRET });
    await gone.close();
    const sut = makeSut({ baseUrl: gone.url });

    const err = await caught(sut.code2Session('0a1b2c3d4e5f60718293a4b5c6d7e8f9'));

    expect(err).toMatchObject({ code: ErrorCodes.WECHAT_UNAVAILABLE, message: '暂时无法连接微信服务，请稍后再试' });
  });

  it('maps a timeout to WECHAT_UNAVAILABLE', async () => {
    const sut = makeSut({ timeoutMs: 50 });
    fake.state.latencyMs = 500;

    const err = await caught(sut.code2Session('busy'));

    expect(err.code).toBe(ErrorCodes.WECHAT_UNAVAILABLE);
  });
});

describe('access token', () => {
  it('is fetched once and reused across calls', async () => {
    const sut = makeSut();

    await sut.sendSubscribeMessage(message());
    await sut.sendSubscribeMessage(message());
    await sut.getVerifyId({ openid: 'oLegalRep-000001', ...LEGAL_REP });

    expect(fake.state.tokenRequests).toBe(1);
  });

  it('is fetched by a single request when many calls start together', async () => {
    const sut = makeSut();

    await Promise.all(Array.from({ length: 5 }, () => sut.sendSubscribeMessage(message())));

    expect(fake.state.tokenRequests).toBe(1);
    expect(fake.state.sentMessages).toHaveLength(5);
  });

  it('is fetched again once when WeChat says it expired, and the call succeeds', async () => {
    const sut = makeSut();
    await sut.sendSubscribeMessage(message());
    fake.expireTokens();

    const result = await sut.sendSubscribeMessage(message());

    expect(result).toEqual({ delivered: true });
    expect(fake.state.tokenRequests).toBe(2);
    expect(fake.state.sentMessages).toHaveLength(2);
  });

  it('is refreshed before it expires', async () => {
    const sut = makeSut();
    await sut.sendSubscribeMessage(message());
    clock += (7200 - 240) * 1000;

    await sut.sendSubscribeMessage(message());

    expect(fake.state.tokenRequests).toBe(2);
  });

  it('is fetched again only once when the new token is rejected too', async () => {
    await fake.close();
    await startFake({ tokenTtlS: 0 });
    const sut = makeSut();

    const err = await caught(sut.sendSubscribeMessage(message()));

    expect(err).toMatchObject({ code: ErrorCodes.WECHAT_UNAVAILABLE, errcode: 42001 });
    expect(fake.state.tokenRequests).toBe(2);
    expect(fake.state.sentMessages).toHaveLength(0);
  });

  it('maps a wrong appid to WECHAT_UNAVAILABLE', async () => {
    const sut = makeSut({ appId: 'wx0000000000000000' });

    const err = await caught(sut.sendSubscribeMessage(message()));

    expect(err).toMatchObject({ code: ErrorCodes.WECHAT_UNAVAILABLE, errcode: 40013 });
  });
});

describe('face verification', () => {
  it('passes by default', async () => {
    const sut = makeSut();
    const openid = 'oLegalRep-000001';
    const { verifyId, outSeqNo, expiresIn } = await sut.getVerifyId({ openid, ...LEGAL_REP });

    const result = await sut.queryVerifyInfo({ verifyId, openid, outSeqNo, certHash: certHash(LEGAL_REP) });

    expect(result).toEqual({ passed: true, verifyRet: 10000 });
    expect(expiresIn).toBe(3600);
  });

  it('fails for an openid the fake is told to fail', async () => {
    const sut = makeSut();
    const openid = 'oImpostor-000009';
    await fakePost('/__fake/face', { openid, result: 'fail' });
    const { verifyId, outSeqNo } = await sut.getVerifyId({ openid, ...LEGAL_REP });

    const result = await sut.queryVerifyInfo({ verifyId, openid, outSeqNo, certHash: certHash(LEGAL_REP) });

    expect(result.passed).toBe(false);
    expect(result.verifyRet).not.toBe(10000);
  });

  it('reports the verify_ret configured for a name', async () => {
    const sut = makeSut();
    const openid = 'oLegalRep-000003';
    await fakePost('/__fake/face', { name: LEGAL_REP.name, result: 90004 });
    const { verifyId, outSeqNo } = await sut.getVerifyId({ openid, ...LEGAL_REP });

    const result = await sut.queryVerifyInfo({ verifyId, openid, outSeqNo, certHash: certHash(LEGAL_REP) });

    expect(result).toEqual({ passed: false, verifyRet: 90004 });
  });

  it('throws FACE_VERIFY_FAILED when the identity differs from the one the check started with', async () => {
    const sut = makeSut();
    const openid = 'oLegalRep-000001';
    const { verifyId, outSeqNo } = await sut.getVerifyId({ openid, ...LEGAL_REP });
    const other = certHash({ name: LEGAL_REP.name, idNumber: '23110219800101002X' });

    const err = await caught(sut.queryVerifyInfo({ verifyId, openid, outSeqNo, certHash: other }));

    expect(err.code).toBe(ErrorCodes.FACE_VERIFY_FAILED);
  });

  it('keeps the out_seq_no the caller chose', async () => {
    const sut = makeSut();

    const session = await sut.getVerifyId({ openid: 'oLegalRep-000001', ...LEGAL_REP, outSeqNo: 'verif_000042' });

    expect(session.outSeqNo).toBe('verif_000042');
    expect(fake.state.verifySessions.get(session.verifyId)).toMatchObject({ outSeqNo: 'verif_000042' });
  });
});

describe('subscribe messages', () => {
  it('are sent with exactly the documented fields', async () => {
    const sut = makeSut();

    const result = await sut.sendSubscribeMessage(message());

    const res = await fetch(`${fake.url}/__fake/messages`);
    expect(result).toEqual({ delivered: true });
    expect(await res.json()).toEqual({
      messages: [
        {
          touser: 'oUser-legal-rep-0001',
          template_id: 'tmpl-repair-result-01',
          page: 'pages/repair/detail?id=42',
          data: { thing1: { value: '信用修复申请已通过' }, time2: { value: '2026年3月2日 09:30' } },
        },
      ],
    });
  });

  it('report a user who refused as not delivered, without throwing', async () => {
    const sut = makeSut();
    await fakePost('/__fake/subscription', { openid: 'oUser-legal-rep-0001', accept: false });

    const result = await sut.sendSubscribeMessage(message());

    expect(result).toEqual({ delivered: false, reason: 'user-refused' });
    expect(fake.state.sentMessages).toHaveLength(0);
  });

  it('map data that breaks the template rules (47003) to VALIDATION_FAILED', async () => {
    const sut = makeSut();

    const err = await caught(
      sut.sendSubscribeMessage(
        message({ data: { thing1: { value: '这是一段超过二十个字符的事物字段内容，微信会拒绝它' } } }),
      ),
    );

    expect(err).toMatchObject({ code: ErrorCodes.VALIDATION_FAILED, errcode: 47003 });
    expect(fake.state.sentMessages).toHaveLength(0);
  });

  it('map an invalid openid (40003) to VALIDATION_FAILED', async () => {
    const sut = makeSut();

    const err = await caught(sut.sendSubscribeMessage(message({ touser: '' })));

    expect(err).toMatchObject({ code: ErrorCodes.VALIDATION_FAILED, errcode: 40003 });
  });
});

describe('media check', () => {
  it('submits version 2 with the scene and returns the trace_id', async () => {
    const sut = makeSut();

    const { traceId } = await sut.mediaCheckAsync({
      mediaUrl: 'https://files.example.cn/evidence/42.jpg',
      mediaType: 'image',
      openid: 'oLegalRep-000001',
      scene: 'profile',
    });

    expect(fake.state.mediaChecks).toEqual([
      {
        trace_id: traceId,
        media_url: 'https://files.example.cn/evidence/42.jpg',
        media_type: 2,
        version: 2,
        scene: 1,
        openid: 'oLegalRep-000001',
      },
    ]);
  });
});

describe('errors', () => {
  it('never contain the app secret or a session_key', async () => {
    const sut = makeSut();
    const sessionKeys: string[] = [];
    for (let i = 0; i < 3; i++) sessionKeys.push((await sut.code2Session((await loginCode()).code)).sessionKey);
    const { code } = await loginCode();
    await sut.code2Session(code);
    const wrongSecret = 'a-wrong-secret-0000000000000000';

    const errors = [
      await caught(sut.code2Session(code)),
      await caught(sut.code2Session('not-json')),
      await caught(sut.code2Session('busy')),
      await caught(makeSut({ appSecret: wrongSecret }).code2Session((await loginCode()).code)),
      await caught(makeSut({ appSecret: wrongSecret }).sendSubscribeMessage(message())),
      await caught(makeSut({ baseUrl: 'http://127.0.0.1:1' }).code2Session(code)),
    ];

    expect(errors.every((e) => e instanceof WechatError)).toBe(true);
    for (const e of errors) {
      const text = `${e.message}\n${e.stack ?? ''}\n${JSON.stringify(e)}`;
      for (const secret of [APP_SECRET, wrongSecret, ...sessionKeys]) expect(text).not.toContain(secret);
    }
  });
});
