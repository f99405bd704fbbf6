import Taro from '@tarojs/taro';
import { getAuthOptions, getDemoLoginCode, loginWithWechat, logout, recordPrivacyConsentOnServer } from './endpoints';
import { ApiError } from './errors';
import { clearSession, demoOpenid, saveTokens, saveUser } from './session';
import type { AuthOptions, SessionUser } from './types';

/**
 * A one-time WeChat login code. In the mini program it comes from wx.login. In a browser (H5)
 * there is no wx.login: in demo mode the fake WeChat issues one (getAuthOptions names the URL);
 * otherwise WeChat's web authorisation redirects back with `?code=…`; without either the user is
 * told to open the mini program.
 */
async function wechatCode(options: AuthOptions): Promise<string> {
  if (process.env.TARO_ENV === 'h5') {
    if (options.demoLoginCodeUrl) return (await getDemoLoginCode(options.demoLoginCodeUrl, demoOpenid())).code;
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

/**
 * Signs in and, when the server has no consent to the current terms yet, records the consent the
 * user just gave on the login page (the box must be ticked before this runs).
 */
export async function signInWithWechat(options?: AuthOptions): Promise<SessionUser> {
  const opts = options ?? (await getAuthOptions());
  const result = await loginWithWechat(await wechatCode(opts));
  saveTokens({ accessToken: result.accessToken, refreshToken: result.refreshToken });
  const user: SessionUser = { id: result.user.id, enterprises: result.user.enterprises };
  saveUser(user);
  if (result.user.privacyConsentRequired) {
    await recordPrivacyConsentOnServer(result.user.privacyPolicyVersion ?? opts.privacyPolicyVersion);
  }
  return user;
}

/** Ends the session on the server too; the local session goes whatever the network says. */
export async function signOut(): Promise<void> {
  try {
    await logout();
  } catch {
    // Offline or already expired: the tokens are dropped below either way.
  } finally {
    clearSession();
  }
}
