import { startFakeWechat, type FakeWechat } from './fake-server';

const APP_ID = 'wx7a1b2c3d4e5f6a7b';
const APP_SECRET = 'f3c2a1b0e9d8c7b6a5f4e3d2c1b0a9f8';

type Body = Record<string, unknown>;

let sut: FakeWechat;
let clock: number;

async function get(path: string, query: Record<string, string> = {}): Promise<Body> {
  const res = await fetch(`${sut.url}${path}?${new URLSearchParams(query)}`);
  return (await res.json()) as Body;
}

async function post(path: string, body: unknown, query: Record<string, string> = {}): Promise<Body> {
  const qs = Object.keys(query).length ? `?${new URLSearchParams(query)}` : '';
  const res = await fetch(`${sut.url}${path}${qs}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Body;
}

const session = (overrides: Record<string, string> = {}) =>
  get('/sns/jscode2session', {
    appid: APP_ID,
    secret: APP_SECRET,
    js_code: 'unknown-code',
    grant_type: 'authorization_code',
    ...overrides,
  });

const stableToken = (overrides: Body = {}) =>
  post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET, ...overrides });

const send = (token: string) =>
  post(
    '/cgi-bin/message/subscribe/send',
    { touser: 'oUser-legal-rep-0001', template_id: 'tmpl-1', data: { thing1: { value: '审核通过' } } },
    { access_token: token },
  );

beforeEach(async () => {
  clock = Date.parse('2026-03-02T09:00:00+08:00');
  sut = await startFakeWechat({ appId: APP_ID, appSecret: APP_SECRET, now: () => clock });
});

afterEach(async () => {
  await sut.close();
});

describe('fake WeChat', () => {
  it('answers jscode2session with the documented success shape', async () => {
    const { code } = await post('/__fake/login-code', { openid: 'oLegalRep-000001' });

    const body = await session({ js_code: String(code) });

    expect(Object.keys(body).sort()).toEqual(['errcode', 'errmsg', 'openid', 'session_key']);
    expect(body).toMatchObject({ errcode: 0, openid: 'oLegalRep-000001' });
  });

  it('refuses a wrong appid with 40013', async () => {
    expect(await session({ appid: 'wx0000000000000000' })).toMatchObject({ errcode: 40013 });
  });

  it('refuses a wrong secret with 40125', async () => {
    expect(await session({ secret: 'wrong' })).toMatchObject({ errcode: 40125 });
  });

  it('answers an unknown code with 40029', async () => {
    expect(await session()).toMatchObject({ errcode: 40029 });
  });

  it('issues access tokens from /cgi-bin/token that last 7200 seconds', async () => {
    const body = await get('/cgi-bin/token', { grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET });

    expect(body).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    expect(sut.state.tokenRequests).toBe(1);
  });

  it('returns the same stable token while it has more than five minutes left', async () => {
    const first = await stableToken();
    clock += 3600_000;

    const second = await stableToken();

    expect(second).toEqual({ access_token: first.access_token, expires_in: 3600 });
  });

  it('invalidates the previous stable token on force_refresh', async () => {
    const first = await stableToken();

    const second = await stableToken({ force_refresh: true });

    expect(second.access_token).not.toBe(first.access_token);
    expect(await send(String(first.access_token))).toMatchObject({ errcode: 42001 });
    expect(await send(String(second.access_token))).toMatchObject({ errcode: 0 });
  });

  it('expires access tokens after 7200 seconds', async () => {
    const { access_token } = await stableToken();
    clock += 7200_000;

    expect(await send(String(access_token))).toMatchObject({ errcode: 42001 });
  });

  it('answers a missing access_token with 41001', async () => {
    expect(await send('')).toMatchObject({ errcode: 41001 });
  });

  it('answers an access_token it never issued with 40001', async () => {
    expect(await send('not-a-token')).toMatchObject({ errcode: 40001 });
  });

  it('lists subscribe sends at /__fake/messages', async () => {
    const { access_token } = await stableToken();
    await send(String(access_token));

    const body = await get('/__fake/messages');

    expect(body).toEqual({
      messages: [{ touser: 'oUser-legal-rep-0001', template_id: 'tmpl-1', data: { thing1: { value: '审核通过' } } }],
    });
  });

  it('answers malformed JSON with 47001', async () => {
    const res = await fetch(`${sut.url}/cgi-bin/stable_token`, { method: 'POST', body: '{not json' });

    expect(await res.json()).toMatchObject({ errcode: 47001 });
  });
});
