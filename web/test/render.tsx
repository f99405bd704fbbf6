import type { ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { Api, Client } from '@web/api/client';
import { SessionStore } from '@web/api/session';
import { ApiProvider } from '../console/src/context';

type Handler = (path: string, init: unknown) => { status?: number; body: unknown };

/**
 * A typed-client stand-in: each call answers from `handler` as openapi-fetch would ({ data } or
 * { error }, with the response), so pages run without a server.
 */
export function fakeApi(handler: Handler): { api: Api; calls: { method: string; path: string; init: unknown }[] } {
  const calls: { method: string; path: string; init: unknown }[] = [];
  const answer = (method: string) => async (path: string, init: unknown) => {
    calls.push({ method, path, init });
    const { status = 200, body } = handler(path, init);
    const response = { ok: status < 400, status } as Response;
    return status < 400 ? { data: body, response } : { error: body, response };
  };
  const client = { GET: answer('GET'), POST: answer('POST'), PUT: answer('PUT') } as unknown as Client;
  const store = new SessionStore(null);
  store.set({
    accessToken: 'a',
    refreshToken: 'r'.repeat(16),
    staff: { id: 1, username: 'demo-reviewer', displayName: '审核员', role: 'reviewer' },
  });
  return { api: { client, store }, calls };
}

export function renderWith(api: Api, ui: ReactNode, path = '/') {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <ApiProvider api={api}>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
      </QueryClientProvider>
    </ApiProvider>,
  );
}
