import type { operations } from './schema';

export type StaffProfile = operations['loginStaff']['responses'][200]['content']['application/json']['staff'];
export type StaffRole = StaffProfile['role'];

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** From loginStaff: the token carries only a session id, and getMe is for enterprise users. */
  staff: StaffProfile;
}

/**
 * The signed-in staff session, kept per tab (sessionStorage): a refresh token is single-use and a
 * reuse revokes the whole login, so two tabs must never share and race one token.
 */
export class SessionStore {
  private current: Session | null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null,
    private readonly key = 'heihe.console.session',
  ) {
    this.current = SessionStore.parse(storage?.getItem(key) ?? null);
  }

  get = (): Session | null => this.current;

  set(session: Session | null): void {
    this.current = session;
    if (session) this.storage?.setItem(this.key, JSON.stringify(session));
    else this.storage?.removeItem(this.key);
    this.listeners.forEach((l) => l());
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private static parse(text: string | null): Session | null {
    if (!text) return null;
    try {
      const s = JSON.parse(text) as Session;
      return s.accessToken && s.refreshToken && s.staff?.role ? s : null;
    } catch {
      return null;
    }
  }
}
