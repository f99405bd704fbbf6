/**
 * The slice of @tarojs/taro the mini program uses, faked for jsdom. jest maps '@tarojs/taro' here
 * (jest.config.js). Each API is typed against Taro's own declaration, so a signature drift in
 * Taro fails the type check instead of passing silently. Tests drive it through `taroFake`.
 */
import { useEffect } from 'react';
import type TaroTypes from '@tarojs/taro';

type Taro = typeof TaroTypes;
type RequestOption = TaroTypes.request.Option<unknown, Record<string, unknown>>;

export interface FakeResponse {
  statusCode: number;
  data?: unknown;
}

/** Answers one request; throwing or rejecting stands for a transport failure. */
export type RequestHandler = (option: RequestOption) => FakeResponse | Promise<FakeResponse>;

type UploadOption = TaroTypes.uploadFile.Option;

/** Answers one upload; `progress(p)` reports p percent sent. Rejecting is a transport failure. */
export type UploadHandler = (
  option: UploadOption,
  progress: (percent: number) => void,
) => FakeResponse | Promise<FakeResponse>;

export interface PickedMedia {
  tempFilePath: string;
  size: number;
  name?: string;
  /** The browser's File.type (H5 hands the File over). */
  type?: string;
}

export interface Navigation {
  kind: 'navigateTo' | 'redirectTo' | 'reLaunch';
  url: string;
}

const notFound: RequestHandler = (option) => ({
  statusCode: 404,
  data: { error: { code: 'NOT_FOUND', message: `no fake route for ${option.method ?? 'GET'} ${option.url}` } },
});

class TaroFake {
  readonly storage = new Map<string, unknown>();
  readonly requests: RequestOption[] = [];
  readonly navigations: Navigation[] = [];
  readonly toasts: string[] = [];
  routerParams: Record<string, string> = {};
  readonly uploads: UploadOption[] = [];
  readonly subscribeRequests: string[][] = [];
  /** What the next chooseMedia picks; an empty list stands for the user cancelling. */
  media: PickedMedia[] = [];
  subscribeAnswer: 'accept' | 'reject' = 'accept';
  loginCode = 'fake-wx-code';
  private handler: RequestHandler = notFound;
  private uploadHandler: UploadHandler = () => ({ statusCode: 500, data: '' });

  onRequest(handler: RequestHandler): void {
    this.handler = handler;
  }

  onUpload(handler: UploadHandler): void {
    this.uploadHandler = handler;
  }

  async answerUpload(option: UploadOption, progress: (percent: number) => void): Promise<FakeResponse> {
    this.uploads.push(option);
    return this.uploadHandler(option, progress);
  }

  async answer(option: RequestOption): Promise<FakeResponse> {
    this.requests.push(option);
    return this.handler(option);
  }

  reset(): void {
    this.storage.clear();
    this.requests.length = 0;
    this.navigations.length = 0;
    this.toasts.length = 0;
    this.uploads.length = 0;
    this.subscribeRequests.length = 0;
    this.media = [];
    this.subscribeAnswer = 'accept';
    this.routerParams = {};
    this.loginCode = 'fake-wx-code';
    this.handler = notFound;
    this.uploadHandler = () => ({ statusCode: 500, data: '' });
  }
}

export const taroFake = new TaroFake();

const noop = () => undefined;

export const request = (<T>(option: TaroTypes.request.Option<T>): TaroTypes.RequestTask<T> => {
  const result = taroFake.answer(option as RequestOption).then((res) => ({
    statusCode: res.statusCode,
    data: res.data,
    header: {},
    errMsg: 'request:ok',
  }));
  // A RequestTask is a promise with task methods; the fake's tasks cannot be aborted.
  const task = Object.assign(result, {
    abort: noop,
    onHeadersReceived: noop,
    offHeadersReceived: noop,
    onChunkReceived: noop,
    offChunkReceived: noop,
  });
  return task as unknown as TaroTypes.RequestTask<T>;
}) satisfies Taro['request'];

export const getStorageSync = (<T>(key: string): T =>
  (taroFake.storage.get(key) ?? '') as T) satisfies Taro['getStorageSync'];

export const setStorageSync = ((key: string, data: unknown) => {
  taroFake.storage.set(key, data);
}) satisfies Taro['setStorageSync'];

export const removeStorageSync = ((key: string) => {
  taroFake.storage.delete(key);
}) satisfies Taro['removeStorageSync'];

/** Like the real one: a promise of the answer, with `progress(cb)` for the upload's progress. */
export const uploadFile = ((option: UploadOption) => {
  const listeners: Array<(res: TaroTypes.UploadTask.OnProgressUpdateCallbackResult) => void> = [];
  const emit = (percent: number) =>
    listeners.forEach((cb) => cb({ progress: percent, totalBytesSent: percent, totalBytesExpectedToSend: 100 }));
  // Answered on a later tick, so the caller has attached its progress listener first.
  const result = Promise.resolve().then(() =>
    taroFake.answerUpload(option, emit).then(
      (res) => ({
        statusCode: res.statusCode,
        data: typeof res.data === 'string' ? res.data : JSON.stringify(res.data),
        errMsg: 'uploadFile:ok',
      }),
      (error: unknown) => Promise.reject(error ?? { errMsg: 'uploadFile:fail' }),
    ),
  );
  const task = Object.assign(result, {
    abort: noop,
    onHeadersReceived: noop,
    offHeadersReceived: noop,
    onProgressUpdate: (cb: (res: TaroTypes.UploadTask.OnProgressUpdateCallbackResult) => void) => {
      listeners.push(cb);
    },
    offProgressUpdate: noop,
    headersReceive: noop,
    progress: (cb: (res: TaroTypes.UploadTask.OnProgressUpdateCallbackResult) => void) => {
      listeners.push(cb);
    },
  });
  return task as unknown as TaroTypes.UploadTask.UploadTaskPromise;
}) satisfies Taro['uploadFile'];

export const chooseMedia = (async () => {
  if (taroFake.media.length === 0) throw { errMsg: 'chooseMedia:fail cancel' };
  return {
    type: 'image',
    errMsg: 'chooseMedia:ok',
    tempFiles: taroFake.media.map((m) => ({
      tempFilePath: m.tempFilePath,
      size: m.size,
      duration: 0,
      height: 0,
      width: 0,
      thumbTempFilePath: '',
      fileType: 'image' as const,
      ...(m.name ? { originalFileObj: new File(['x'], m.name, { type: m.type ?? '' }) } : {}),
    })),
  };
}) satisfies Taro['chooseMedia'];

export const requestSubscribeMessage = (async (option: TaroTypes.requestSubscribeMessage.Option) => {
  const ids = option.tmplIds ?? [];
  taroFake.subscribeRequests.push(ids);
  return Object.fromEntries([
    ['errMsg', 'requestSubscribeMessage:ok'],
    ...ids.map((id) => [id, taroFake.subscribeAnswer]),
  ]) as TaroTypes.requestSubscribeMessage.SuccessCallbackResult;
}) satisfies Taro['requestSubscribeMessage'];

const ok = { errMsg: 'ok' };

export const previewImage = (async () => ok) satisfies Taro['previewImage'];

export const stopPullDownRefresh = (async () => ok) satisfies Taro['stopPullDownRefresh'];

export const showActionSheet = (async () => ({
  tapIndex: 0,
  errMsg: 'showActionSheet:ok',
})) satisfies Taro['showActionSheet'];

export const login = (async () => ({ code: taroFake.loginCode, errMsg: 'login:ok' })) satisfies Taro['login'];

export const navigateTo = (async (option: TaroTypes.navigateTo.Option) => {
  taroFake.navigations.push({ kind: 'navigateTo', url: option.url });
  return ok;
}) satisfies Taro['navigateTo'];

export const redirectTo = (async (option: TaroTypes.redirectTo.Option) => {
  taroFake.navigations.push({ kind: 'redirectTo', url: option.url });
  return ok;
}) satisfies Taro['redirectTo'];

export const reLaunch = (async (option: TaroTypes.reLaunch.Option) => {
  taroFake.navigations.push({ kind: 'reLaunch', url: option.url });
  return ok;
}) satisfies Taro['reLaunch'];

export const showToast = (async (option?: TaroTypes.showToast.Option) => {
  taroFake.toasts.push(option?.title ?? '');
  return ok;
}) satisfies Taro['showToast'];

export const showModal = (async () => ({
  confirm: true,
  cancel: false,
  errMsg: 'showModal:ok',
})) satisfies Taro['showModal'];

/** Page lifecycle: in jsdom a page is "shown" once, when it mounts. */
export function useDidShow(callback: () => void): void {
  useEffect(callback, []);
}

export function usePullDownRefresh(_callback: () => void): void {
  // Never pulled in jsdom.
}

export function useLoad(callback: (params: Record<string, string>) => void): void {
  useEffect(() => callback(taroFake.routerParams), []);
}

export function useRouter(): Pick<TaroTypes.RouterInfo, 'params' | 'path'> {
  return { params: taroFake.routerParams, path: '' };
}

const Taro = {
  request,
  getStorageSync,
  setStorageSync,
  removeStorageSync,
  login,
  navigateTo,
  redirectTo,
  reLaunch,
  showToast,
  showModal,
  uploadFile,
  chooseMedia,
  requestSubscribeMessage,
  previewImage,
  stopPullDownRefresh,
  showActionSheet,
};

export default Taro;
