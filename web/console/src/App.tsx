import { lazy, Suspense, useState } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { ApiError } from '@web/api/errors';
import type { Api } from '@web/api/client';
import { ApiProvider, useSession } from './context';
import { homeOf, mayOpen } from './nav';
import { Shell } from './Shell';
import { SignIn } from './pages/SignIn';

// Route-level code splitting: sign-in and the shell load first; each page (and ECharts, on the
// dashboard only) arrives when it is opened.
const QueuePage = lazy(() => import('./pages/review/QueuePage'));
const CasePage = lazy(() => import('./pages/review/CasePage'));
const Dashboard = lazy(() => import('./pages/Dashboard'));
const InvestSearchPage = lazy(() => import('./pages/invest/SearchPage'));
const InvestTargetPage = lazy(() => import('./pages/invest/TargetPage'));
const InvestScreeningPage = lazy(() => import('./pages/invest/ScreeningPage'));
const InvestChecksPage = lazy(() => import('./pages/invest/ChecksPage'));
const InvestCheckPage = lazy(() => import('./pages/invest/CheckPage'));
const InvestWatchPage = lazy(() => import('./pages/invest/WatchPage'));
const InvestListsPage = lazy(() => import('./pages/invest/ListsPage'));
const InvestParkCheckPage = lazy(() => import('./pages/invest/ParkCheckPage'));
const InvestChainsPage = lazy(() => import('./pages/invest/ChainsPage'));
const CasesPage = lazy(() => import('./pages/cases/CasesPage'));
const SubscriptionsPage = lazy(() => import('./pages/ops/SubscriptionsPage'));
const CalendarPage = lazy(() => import('./pages/ops/CalendarPage'));
const ApiClientsPage = lazy(() => import('./pages/ops/ApiClientsPage'));
const StaffPage = lazy(() => import('./pages/ops/StaffPage'));
const AuditPage = lazy(() => import('./pages/ops/AuditPage'));
const ModelsPage = lazy(() => import('./pages/models/ModelsPage'));
const ModelDraftPage = lazy(() => import('./pages/models/ModelDraftPage'));

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        // A refused request (4xx) will not succeed by asking again; a lost connection may.
        retry: (n, e) => n < 2 && !(e instanceof ApiError && e.status >= 400 && e.status < 500),
      },
    },
  });
}

function Protected() {
  const session = useSession();
  const location = useLocation();
  if (!session) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  const role = session.staff.role;
  if (location.pathname === '/' || !mayOpen(role, location.pathname)) return <Navigate to={homeOf(role)} replace />;
  return (
    <Shell>
      <Suspense fallback={<Spin style={{ display: 'block', margin: 64 }} />}>
        <Routes>
          <Route path="/review" element={<QueuePage tab="open" />} />
          <Route path="/review/overdue" element={<QueuePage tab="overdue" />} />
          <Route path="/review/:kind/:id" element={<CasePage />} />
          <Route path="/dashboard" element={<Dashboard />} />
          <Route path="/cases" element={<CasesPage />} />
          <Route path="/ops/subscriptions" element={<SubscriptionsPage />} />
          <Route path="/ops/calendar" element={<CalendarPage />} />
          <Route path="/ops/api-clients" element={<ApiClientsPage />} />
          <Route path="/ops/staff" element={<StaffPage />} />
          <Route path="/ops/audit" element={<AuditPage />} />
          <Route path="/models" element={<ModelsPage />} />
          <Route path="/models/:version" element={<ModelDraftPage />} />
          <Route path="/invest" element={<InvestSearchPage />} />
          <Route path="/invest/entities/:entityId" element={<InvestTargetPage />} />
          <Route path="/invest/screening" element={<InvestScreeningPage />} />
          <Route path="/invest/checks" element={<InvestChecksPage />} />
          <Route path="/invest/checks/:checkId" element={<InvestCheckPage />} />
          <Route path="/invest/watch" element={<InvestWatchPage />} />
          <Route path="/invest/lists" element={<InvestListsPage />} />
          <Route path="/invest/park-check" element={<InvestParkCheckPage />} />
          <Route path="/invest/chains" element={<InvestChainsPage />} />
          <Route path="*" element={<Navigate to={homeOf(role)} replace />} />
        </Routes>
      </Suspense>
    </Shell>
  );
}

export function App({ api, basename = '/console' }: { api: Api; basename?: string }) {
  const [queryClient] = useState(makeQueryClient);
  return (
    <ConfigProvider locale={zhCN} theme={{ token: { colorPrimary: '#1d4ed8', borderRadius: 4 } }}>
      <AntApp>
        <ApiProvider api={api}>
          <QueryClientProvider client={queryClient}>
            <BrowserRouter basename={basename}>
              <Routes>
                <Route path="/login" element={<SignIn />} />
                <Route path="/*" element={<Protected />} />
              </Routes>
            </BrowserRouter>
          </QueryClientProvider>
        </ApiProvider>
      </AntApp>
    </ConfigProvider>
  );
}
