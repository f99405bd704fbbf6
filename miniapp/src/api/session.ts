import Taro from '@tarojs/taro';
import type { AuthTokens, EnterpriseRef, SessionUser } from './types';

const KEYS = {
  accessToken: 'heihe.accessToken',
  refreshToken: 'heihe.refreshToken',
  user: 'heihe.user',
  entityId: 'heihe.entityId',
  privacyConsent: 'heihe.privacyConsent',
  demoOpenid: 'heihe.demoOpenid',
} as const;

function readString(key: string): string | null {
  const value: unknown = Taro.getStorageSync(key);
  return typeof value === 'string' && value !== '' ? value : null;
}

export function getAccessToken(): string | null {
  return readString(KEYS.accessToken);
}

export function getRefreshToken(): string | null {
  return readString(KEYS.refreshToken);
}

export function saveTokens(tokens: AuthTokens): void {
  Taro.setStorageSync(KEYS.accessToken, tokens.accessToken);
  Taro.setStorageSync(KEYS.refreshToken, tokens.refreshToken);
}

export function isSignedIn(): boolean {
  return getAccessToken() !== null || getRefreshToken() !== null;
}

export function saveUser(user: SessionUser): void {
  Taro.setStorageSync(KEYS.user, JSON.stringify(user));
}

export function getUser(): SessionUser | null {
  const raw = readString(KEYS.user);
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as SessionUser;
  } catch {
    return null;
  }
}

export function getSelectedEntityId(): number | null {
  const raw = readString(KEYS.entityId);
  const id = raw === null ? NaN : Number(raw);
  return Number.isInteger(id) ? id : null;
}

export function selectEntity(entityId: number): void {
  Taro.setStorageSync(KEYS.entityId, String(entityId));
}

export function saveEnterprises(enterprises: EnterpriseRef[]): void {
  const user = getUser();
  if (user) saveUser({ ...user, enterprises });
}

/**
 * Consent is kept with the policy version and the moment it was given, so a new version of the
 * terms asks again. The server keeps its own record (recordPrivacyConsent); this one only decides
 * whether the box starts ticked.
 */
export function recordPrivacyConsent(version: string, at: Date): void {
  Taro.setStorageSync(KEYS.privacyConsent, JSON.stringify({ version, at: at.toISOString() }));
}

/** After the consent is withdrawn: the box starts unticked again. */
export function forgetPrivacyConsent(): void {
  Taro.removeStorageSync(KEYS.privacyConsent);
}

export function hasPrivacyConsent(version: string): boolean {
  const raw = readString(KEYS.privacyConsent);
  if (raw === null) return false;
  try {
    return (JSON.parse(raw) as { version?: unknown }).version === version;
  } catch {
    return false;
  }
}

/**
 * Demo mode in a browser: one fake WeChat user per browser, kept across sign-outs, so signing in
 * again finds the enterprises this browser already verified.
 */
export function demoOpenid(): string {
  const stored = readString(KEYS.demoOpenid);
  if (stored !== null) return stored;
  let suffix = '';
  for (let i = 0; i < 20; i += 1) suffix += Math.floor(Math.random() * 36).toString(36);
  const openid = `o-h5-${suffix}`;
  Taro.setStorageSync(KEYS.demoOpenid, openid);
  return openid;
}

export function clearSession(): void {
  Taro.removeStorageSync(KEYS.accessToken);
  Taro.removeStorageSync(KEYS.refreshToken);
  Taro.removeStorageSync(KEYS.user);
  // The last enterprise used stays: signing in again returns to it. Home honours it only when the
  // signed-in user is bound to it, so another user on the phone never lands on it.
}
