import { ApiError } from '@/api';

/**
 * Runs WeChat's 人脸核身 for a verifyId (weapp). The browser build has no face check of its own:
 * there the API's WeChat (the fake one in demo mode) answers the query, so this resolves at once.
 */
export function runFaceCheck(verifyId: string): Promise<void> {
  if (process.env.TARO_ENV !== 'weapp') return Promise.resolve();
  const api = typeof wx === 'undefined' ? undefined : wx?.requestFacialVerify;
  if (!api) return Promise.reject(new ApiError('FACE_VERIFY_FAILED', '当前微信版本不支持人脸核身，请升级微信后重试'));
  return new Promise((resolve, reject) => {
    api({
      verifyId,
      success: () => resolve(),
      fail: () => reject(ApiError.fromServer(400, 'FACE_VERIFY_FAILED', '')),
    });
  });
}
