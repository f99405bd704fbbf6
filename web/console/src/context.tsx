import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { Api } from '@web/api/client';

const ApiContext = createContext<Api | null>(null);

export function ApiProvider({ api, children }: { api: Api; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}

export function useSession() {
  const { store } = useApi();
  return useSyncExternalStore(store.subscribe, store.get);
}
