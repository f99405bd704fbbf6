import { taroFake, type FakeResponse } from '../../test/taro-fake';
import { anEvaluation } from '../../test/factories';
import { getEntityEvaluation, listEvaluationHistory, loginWithWechat, uploadEvidence } from './endpoints';
import { ApiError } from './errors';
import { onSessionExpired } from './request';
import { getAccessToken, getRefreshToken, saveTokens, saveUser } from './session';

type Route = (option: {
  url: string;
  method?: string;
  data?: unknown;
  header?: Record<string, string>;
}) => FakeResponse | Promise<FakeResponse>;

function bearerOf(header: unknown): string | undefined {
  return (header as Record<string, string> | undefined)?.Authorization;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const refreshCalls = () => taroFake.requests.filter((r) => r.url === '/api/auth/refresh');

describe('request', () => {
  let expired: number;

  beforeEach(() => {
    taroFake.reset();
    expired = 0;
    onSessionExpired(() => {
      expired += 1;
    });
    saveTokens({ accessToken: 'old-access', refreshToken: 'refresh-1' });
    saveUser({ id: 1, enterprises: [{ entityId: 7, uscc: '91231100MA1B2C3D4E', name: '示例公司' }] });
  });

  afterEach(() => onSessionExpired(null));

  it('returns the body as is and sends the bearer token', async () => {
    const evaluation = anEvaluation();
    taroFake.onRequest(() => ({ statusCode: 200, data: evaluation }));

    const sut = await getEntityEvaluation(7);

    expect(sut).toEqual(evaluation);
    expect(taroFake.requests[0]?.url).toBe('/api/entities/7/evaluation');
    expect(bearerOf(taroFake.requests[0]?.header)).toBe('Bearer old-access');
  });

  it('refreshes once for two concurrent 401s and retries both with the new token', async () => {
    const refreshAnswer = deferred<FakeResponse>();
    const route: Route = ({ url, header }) => {
      if (url === '/api/auth/refresh') return refreshAnswer.promise;
      if (bearerOf(header) !== 'Bearer new-access') {
        return { statusCode: 401, data: { error: { code: 'UNAUTHENTICATED', message: 'token expired' } } };
      }
      return url.endsWith('/evaluations')
        ? { statusCode: 200, data: { items: [] } }
        : { statusCode: 200, data: anEvaluation() };
    };
    taroFake.onRequest(route);

    const both = Promise.all([getEntityEvaluation(7), listEvaluationHistory(7)]);
    await new Promise((r) => setTimeout(r, 0));
    refreshAnswer.resolve({ statusCode: 200, data: { accessToken: 'new-access', refreshToken: 'refresh-2' } });
    const [evaluation, history] = await both;

    expect(refreshCalls()).toHaveLength(1);
    expect(refreshCalls()[0]?.data).toEqual({ refreshToken: 'refresh-1' });
    expect(bearerOf(refreshCalls()[0]?.header)).toBeUndefined();
    expect(evaluation.entityId).toBe(7);
    expect(history.items).toEqual([]);
    expect(getAccessToken()).toBe('new-access');
    expect(getRefreshToken()).toBe('refresh-2');
    expect(expired).toBe(0);
  });

  it('does not refresh again for a 401 that raced a refresh which already finished', async () => {
    saveTokens({ accessToken: 'new-access', refreshToken: 'refresh-2' });
    let first = true;
    taroFake.onRequest(({ header }) => {
      // The first answer is a 401 for a token that was current when it left.
      if (first) {
        first = false;
        saveTokens({ accessToken: 'newer-access', refreshToken: 'refresh-3' });
        return { statusCode: 401, data: { error: { code: 'UNAUTHENTICATED', message: 'expired' } } };
      }
      return bearerOf(header) === 'Bearer newer-access'
        ? { statusCode: 200, data: { items: [] } }
        : { statusCode: 401 };
    });

    await listEvaluationHistory(7);

    expect(refreshCalls()).toHaveLength(0);
  });

  it('ends the session once when the refresh token is refused', async () => {
    taroFake.onRequest(({ url }) =>
      url === '/api/auth/refresh'
        ? { statusCode: 401, data: { error: { code: 'UNAUTHENTICATED', message: 'refresh token revoked' } } }
        : { statusCode: 401, data: { error: { code: 'UNAUTHENTICATED', message: 'expired' } } },
    );

    const results = await Promise.allSettled([getEntityEvaluation(7), listEvaluationHistory(7)]);

    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as ApiError;
      expect(error).toBeInstanceOf(ApiError);
      expect(error.code).toBe('UNAUTHENTICATED');
      expect(error.message).toBe('登录已过期，请重新登录');
    }
    expect(refreshCalls()).toHaveLength(1);
    expect(expired).toBe(1);
    expect(getAccessToken()).toBeNull();
    expect(getRefreshToken()).toBeNull();
  });

  it('keeps the session when the refresh fails for lack of network', async () => {
    taroFake.onRequest(({ url }) => {
      if (url === '/api/auth/refresh') throw { errMsg: 'request:fail -2:net::ERR_INTERNET_DISCONNECTED' };
      return { statusCode: 401 };
    });

    await expect(getEntityEvaluation(7)).rejects.toMatchObject({ code: 'NETWORK_OFFLINE' });
    expect(getRefreshToken()).toBe('refresh-1');
    expect(expired).toBe(0);
  });

  it('turns the error envelope into an ApiError with a Chinese message', async () => {
    taroFake.onRequest(() => ({ statusCode: 403, data: { error: { code: 'FORBIDDEN', message: 'not your entity' } } }));

    const sut = getEntityEvaluation(8);

    await expect(sut).rejects.toBeInstanceOf(ApiError);
    await expect(sut).rejects.toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
      message: expect.stringMatching(/无权查看/),
    });
    expect(refreshCalls()).toHaveLength(0);
  });

  it('shows a Chinese server message for a code this build does not know, and never an English one', async () => {
    taroFake.onRequest(({ url }) =>
      url.endsWith('/7/evaluation')
        ? { statusCode: 422, data: { error: { code: 'OBJECTION_WINDOW_CLOSED', message: '异议期已结束' } } }
        : { statusCode: 422, data: { error: { code: 'SOMETHING_NEW', message: 'something new happened' } } },
    );

    await expect(getEntityEvaluation(7)).rejects.toMatchObject({
      code: 'UNKNOWN',
      serverCode: 'OBJECTION_WINDOW_CLOSED',
      message: '异议期已结束',
    });
    await expect(getEntityEvaluation(8)).rejects.toMatchObject({ code: 'UNKNOWN', message: '请求失败，请稍后重试' });
  });

  it('says what to do on a timeout', async () => {
    taroFake.onRequest(() => Promise.reject({ errMsg: 'request:fail timeout' }));

    await expect(getEntityEvaluation(7)).rejects.toMatchObject({
      code: 'NETWORK_TIMEOUT',
      message: '请求超时，请检查网络后点击重试',
    });
  });

  it('treats an aborted browser fetch as a timeout and a failed fetch as offline', async () => {
    taroFake.onRequest(() =>
      Promise.reject(Object.assign(new Error('signal is aborted without reason'), { name: 'AbortError' })),
    );
    await expect(getEntityEvaluation(7)).rejects.toMatchObject({ code: 'NETWORK_TIMEOUT' });

    taroFake.onRequest(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(getEntityEvaluation(7)).rejects.toMatchObject({
      code: 'NETWORK_OFFLINE',
      message: expect.stringMatching(/网络/),
    });
  });

  it('reports a bare 5xx as the service being unavailable', async () => {
    taroFake.onRequest(() => ({ statusCode: 502, data: null }));

    await expect(getEntityEvaluation(7)).rejects.toMatchObject({ code: 'SERVER_UNAVAILABLE', status: 502 });
  });

  it('logs in without a bearer token and never tries to refresh on its 401', async () => {
    taroFake.onRequest(() => ({ statusCode: 401, data: { error: { code: 'UNAUTHENTICATED', message: 'bad code' } } }));

    await expect(loginWithWechat('wx-code')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(taroFake.requests[0]?.data).toEqual({ code: 'wx-code' });
    expect(bearerOf(taroFake.requests[0]?.header)).toBeUndefined();
    expect(refreshCalls()).toHaveLength(0);
    expect(expired).toBe(0);
  });

  it('uploads as multipart field `file`, refreshing once on 401 like any request', async () => {
    taroFake.onRequest(({ url }) =>
      url === '/api/auth/refresh'
        ? { statusCode: 200, data: { accessToken: 'new-access', refreshToken: 'refresh-2' } }
        : { statusCode: 404 },
    );
    taroFake.onUpload((option) =>
      (option.header as Record<string, string>).Authorization === 'Bearer new-access'
        ? { statusCode: 201, data: { id: 'f-1' } }
        : { statusCode: 401, data: { error: { code: 'UNAUTHENTICATED', message: 'expired' } } },
    );

    const sut = await uploadEvidence(7, { filePath: 'wxfile://tmp/a.jpg' });

    expect(sut).toEqual({ id: 'f-1' });
    expect(taroFake.uploads.map((u) => [u.url, u.name])).toEqual([
      ['/api/entities/7/evidence', 'file'],
      ['/api/entities/7/evidence', 'file'],
    ]);
    expect(refreshCalls()).toHaveLength(1);
  });

  it("turns an upload's error body, which arrives as text, into its Chinese message", async () => {
    taroFake.onUpload(() => ({
      statusCode: 413,
      data: { error: { code: 'EVIDENCE_TOO_LARGE', message: 'too large' } },
    }));

    await expect(uploadEvidence(7, { filePath: 'wxfile://tmp/big.jpg' })).rejects.toMatchObject({
      code: 'EVIDENCE_TOO_LARGE',
      message: '文件过大，请压缩后重新上传',
    });
  });
});
