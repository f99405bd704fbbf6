import Taro from '@tarojs/taro';
import { API_BASE, REQUEST_TIMEOUT_MS, UPLOAD_TIMEOUT_MS } from './config';
import { ApiError } from './errors';
import { clearSession, getAccessToken, getRefreshToken, saveTokens } from './session';
import type { AuthTokens } from './types';

/**
 * The only caller of Taro.request and Taro.uploadFile. It owns the base URL, the bearer header,
 * the error envelope and token refresh. Pages call the typed functions in ./endpoints instead.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestOptions {
  method?: HttpMethod;
  data?: Record<string, unknown>;
  /** Send the access token and refresh it on 401. Default true. */
  auth?: boolean;
}

interface RawResponse {
  statusCode: number;
  data: unknown;
}

type ExpiredHandler = () => void;
let expiredHandler: ExpiredHandler | null = null;

/** Called once each time the session cannot be renewed; the app sends the user to login. */
export function onSessionExpired(handler: ExpiredHandler | null): void {
  expiredHandler = handler;
}

function transportFailure(error: unknown): ApiError {
  const parts: string[] = [];
  if (error !== null && typeof error === 'object') {
    for (const key of ['errMsg', 'message', 'name'] as const) {
      const value: unknown = (error as Record<string, unknown>)[key];
      if (typeof value === 'string') parts.push(value);
    }
  }
  // weapp reports 'request:fail timeout'; H5 aborts its fetch when the timer fires.
  return /time ?out|timed out|abort/i.test(parts.join(' '))
    ? ApiError.client('NETWORK_TIMEOUT')
    : ApiError.client('NETWORK_OFFLINE');
}

async function send(path: string, options: RequestOptions, token: string | null): Promise<RawResponse> {
  const header: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token !== null) header.Authorization = `Bearer ${token}`;
  try {
    const res = await Taro.request<unknown>({
      url: `${API_BASE}${path}`,
      method: options.method ?? 'GET',
      data: options.data,
      header,
      timeout: REQUEST_TIMEOUT_MS,
      dataType: 'json',
    });
    return { statusCode: res.statusCode, data: res.data };
  } catch (error) {
    throw transportFailure(error);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function failure(res: RawResponse): ApiError {
  const body = isRecord(res.data) ? res.data.error : undefined;
  if (isRecord(body) && typeof body.code === 'string') {
    return ApiError.fromServer(res.statusCode, body.code, typeof body.message === 'string' ? body.message : '');
  }
  if (res.statusCode === 401) return ApiError.fromServer(401, 'UNAUTHENTICATED', '');
  if (res.statusCode >= 500) return ApiError.client('SERVER_UNAVAILABLE', res.statusCode);
  return ApiError.client('UNKNOWN', res.statusCode);
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

let refreshInFlight: Promise<string> | null = null;

function expire(): ApiError {
  clearSession();
  expiredHandler?.();
  return ApiError.fromServer(401, 'UNAUTHENTICATED', '');
}

async function refreshOnce(): Promise<string> {
  const refreshToken = getRefreshToken();
  if (refreshToken === null) throw expire();
  // A network failure here keeps the session: the user may retry once back online.
  const res = await send('/auth/refresh', { method: 'POST', data: { refreshToken } }, null);
  if (!isSuccess(res.statusCode)) {
    if (res.statusCode === 400 || res.statusCode === 401 || res.statusCode === 403) throw expire();
    throw failure(res);
  }
  const tokens = res.data as Partial<AuthTokens> | null;
  if (typeof tokens?.accessToken !== 'string' || typeof tokens.refreshToken !== 'string') {
    throw ApiError.client('BAD_RESPONSE', res.statusCode);
  }
  saveTokens({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
  return tokens.accessToken;
}

/**
 * Concurrent 401s share one refresh: refresh tokens rotate, so a second parallel refresh would
 * present a token the server has already spent.
 */
function refreshAccessToken(): Promise<string> {
  refreshInFlight ??= refreshOnce().finally(() => {
    refreshInFlight = null;
  });
  return refreshInFlight;
}

/**
 * Sends with the current access token; on a 401 it refreshes (single-flight) and sends once more.
 * A second 401 ends the session.
 */
async function withAuth(auth: boolean, sendWith: (token: string | null) => Promise<RawResponse>): Promise<RawResponse> {
  const sentToken = auth ? getAccessToken() : null;
  let res = await sendWith(sentToken);

  if (auth && res.statusCode === 401) {
    const current = getAccessToken();
    // Another request may have refreshed while this one was in flight: reuse its token.
    const token = current !== null && current !== sentToken ? current : await refreshAccessToken();
    res = await sendWith(token);
    if (res.statusCode === 401) throw expire();
  }
  return res;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await withAuth(options.auth ?? true, (token) => send(path, options, token));
  if (!isSuccess(res.statusCode)) throw failure(res);
  return (res.statusCode === 204 ? undefined : res.data) as T;
}

/**
 * A JSON POST to an absolute URL outside the API, without credentials: only the demo's fake
 * WeChat login-code helper, which the H5 build calls in place of wx.login.
 */
export async function postExternal<T>(url: string, data: Record<string, unknown>): Promise<T> {
  let res: RawResponse;
  try {
    const r = await Taro.request<unknown>({
      url,
      method: 'POST',
      data,
      header: { 'Content-Type': 'application/json' },
      timeout: REQUEST_TIMEOUT_MS,
      dataType: 'json',
    });
    res = { statusCode: r.statusCode, data: r.data };
  } catch (error) {
    throw transportFailure(error);
  }
  if (!isSuccess(res.statusCode)) throw failure(res);
  return res.data as T;
}

export interface UploadOptions {
  /** A temp file path (weapp) or blob URL (H5) from chooseMedia / chooseMessageFile. */
  filePath: string;
  /** The name the server records; H5 needs it, the mini program sends the temp file's own. */
  fileName?: string;
  /** Whole percent, 0–100, as the bytes leave the phone. */
  onProgress?: (percent: number) => void;
}

async function sendUpload(path: string, options: UploadOptions, token: string | null): Promise<RawResponse> {
  const header: Record<string, string> = {};
  if (token !== null) header.Authorization = `Bearer ${token}`;
  try {
    const task = Taro.uploadFile({
      url: `${API_BASE}${path}`,
      filePath: options.filePath,
      name: 'file',
      header,
      timeout: UPLOAD_TIMEOUT_MS,
      ...(options.fileName ? { fileName: options.fileName } : {}),
    });
    const onProgress = options.onProgress;
    if (onProgress) task.progress((p) => onProgress(Math.max(0, Math.min(100, Math.round(p.progress)))));
    const res = await task;
    return { statusCode: res.statusCode, data: parseBody(res.data) };
  } catch (error) {
    throw transportFailure(error);
  }
}

/** uploadFile answers with the body as text on both platforms. */
function parseBody(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  if (data === '') return null;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

/** multipart/form-data upload (field `file`) with the same auth, refresh and error handling. */
export async function upload<T>(path: string, options: UploadOptions): Promise<T> {
  const res = await withAuth(true, (token) => sendUpload(path, options, token));
  if (!isSuccess(res.statusCode)) throw failure(res);
  return res.data as T;
}

async function sendDownload(path: string, token: string | null): Promise<RawResponse> {
  const header: Record<string, string> = {};
  if (token !== null) header.Authorization = `Bearer ${token}`;
  try {
    const res = await Taro.downloadFile({ url: `${API_BASE}${path}`, header });
    return { statusCode: res.statusCode, data: res.tempFilePath };
  } catch (error) {
    throw transportFailure(error);
  }
}

/** A GET of bytes to a temporary file (weapp) or blob URL (H5), with the same auth and refresh. */
export async function download(path: string): Promise<string> {
  const res = await withAuth(true, (token) => sendDownload(path, token));
  if (!isSuccess(res.statusCode)) throw failure({ statusCode: res.statusCode, data: null });
  return res.data as string;
}
