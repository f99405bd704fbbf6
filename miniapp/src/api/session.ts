import Taro from '@tarojs/taro';
import type { AuthTokens, SessionUser } from './types';

const KEYS = {
  accessToken: 'heihe.accessToken',
  refreshToken: 'heihe.refreshToken',
  user: 'heihe.user',
  entityId: 'heihe.entityId',
  privacyConsent: 'heihe.privacyConsent',
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

/** Consent is recorded with the moment it was given, so a later policy change can ask again. */
export function recordPrivacyConsent(at: Date): void {
  Taro.setStorageSync(KEYS.privacyConsent, at.toISOString());
}

export function hasPrivacyConsent(): boolean {
  return readString(KEYS.privacyConsent) !== null;
}

export function clearSession(): void {
  Taro.removeStorageSync(KEYS.accessToken);
  Taro.removeStorageSync(KEYS.refreshToken);
  Taro.removeStorageSync(KEYS.user);
  Taro.removeStorageSync(KEYS.entityId);
}
