import Taro from '@tarojs/taro';
import { loginWithWechat } from './endpoints';
import { ApiError } from './errors';
import { clearSession, saveTokens, saveUser } from './session';
import type { SessionUser } from './types';

/**
 * A one-time WeChat login code. In the mini program it comes from wx.login. In a browser (H5)
 * there is no wx.login: WeChat's web authorisation redirects back with `?code=…`, which is read
 * here; without it the user is told to open the mini program.
 */
async function wechatCode(): Promise<string> {
  if (process.env.TARO_ENV === 'h5') {
    const code = new URLSearchParams(window.location.search).get('code');
    if (code) return code;
    throw ApiError.client('LOGIN_UNAVAILABLE');
  }
  try {
    const { code } = await Taro.login();
    if (code) return code;
  } catch {
    // Falls through: wx.login fails only without a network or outside WeChat.
  }
  throw ApiError.client('NETWORK_OFFLINE');
}

export async function signInWithWechat(): Promise<SessionUser> {
  const result = await loginWithWechat(await wechatCode());
  saveTokens({ accessToken: result.accessToken, refreshToken: result.refreshToken });
  saveUser(result.user);
  return result.user;
}

export function signOut(): void {
  clearSession();
}
