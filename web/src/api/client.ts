import createClient from 'openapi-fetch';
import { ApiError, networkError } from './errors';
import type { operations, paths } from './schema';
import { SessionStore, type Session } from './session';

/** The JSON body of an operation's 200 (or, for a creation, 201) response. */
export type Ok<Op extends keyof operations> = operations[Op] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : operations[Op] extends { responses: { 201: { content: { 'application/json': infer T } } } }
    ? T
    : never;

export interface ApiOptions {
  store: SessionStore;
  /** Called when the session cannot be refreshed: the console returns to sign-in. */
  onExpired?: () => void;
  origin?: string;
  fetch?: typeof fetch;
}

/**
 * The one request wrapper: the typed client over the generated schema, with the bearer token and
 * a single-flight refresh (every request that meets a 401 waits on the same refresh, then retries
 * once with the new token).
 */
export function createApi({ store, onExpired, origin, fetch: send = (...a) => fetch(...a) }: ApiOptions) {
  let refreshing: Promise<Session | null> | null = null;

  function refresh(stale: Session): Promise<Session | null> {
    refreshing ??= (async () => {
      try {
        const res = await send(new URL('/api/auth/refresh', base()).toString(), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refreshToken: stale.refreshToken }),
        });
        if (!res.ok) return null;
        const t = (await res.json()) as Ok<'refreshToken'>;
        return { ...stale, accessToken: t.accessToken, refreshToken: t.refreshToken };
      } catch {
        return null;
      }
    })().then((next) => {
      store.set(next);
      if (!next) onExpired?.();
      return next;
    });
    return refreshing.finally(() => (refreshing = null));
  }

  async function authFetch(req: Request): Promise<Response> {
    const retry = req.clone();
    const sent = store.get();
    if (sent) req.headers.set('Authorization', `Bearer ${sent.accessToken}`);
    let res: Response;
    try {
      res = await send(req);
    } catch {
      throw networkError();
    }
    if (res.status !== 401 || !sent || new URL(req.url).pathname.startsWith('/api/auth/')) return res;
    // Another request may have refreshed meanwhile: then only retry with its token.
    const now = store.get();
    const next = now && now.accessToken !== sent.accessToken ? now : await (refreshing ?? refresh(sent));
    if (!next) return res;
    retry.headers.set('Authorization', `Bearer ${next.accessToken}`);
    try {
      return await send(retry);
    } catch {
      throw networkError();
    }
  }

  const base = () => origin ?? globalThis.location?.origin ?? 'http://localhost';
  const client = createClient<paths>({ baseUrl: base(), fetch: authFetch });
  return { client, store };
}

export type Api = ReturnType<typeof createApi>;
export type Client = Api['client'];

/** The data of an openapi-fetch result, or the API's error thrown as an ApiError. */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data: body, error, response } = await call;
  if (error !== undefined || !response.ok) throw ApiError.of(response.status, error);
  return body as T;
}
