import { MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { BrowserRouter, Route, Routes, useNavigate } from 'react-router';
import { setUnauthorizedHandler, type SetupStatus } from './api';
import { PageSkeleton } from './components/PageSkeleton';
import { keys } from './lib/queries';
import { lazyPage } from './lazyPage';
import { queryClient } from './queryClient';
import { cssVariablesResolver, theme } from './theme';
import { AppLayout } from './features/shell/AppLayout';
import { RootRedirect } from './features/auth/RootRedirect';
import { ProjectHome } from './features/web/ProjectHome';

const LoginPage = lazyPage('login');
const SetupPage = lazyPage('setup');
const InvitePage = lazyPage('invite');
const PersonsPage = lazyPage('persons');
const PersonPage = lazyPage('person');
const EventsPage = lazyPage('events');
const SettingsPage = lazyPage('settings');
const NotFoundPage = lazyPage('notFound');
const InsightsListPage = lazy(() => import('./features/insights/InsightsListPage'));
const InsightPage = lazy(() => import('./features/insights/InsightPage'));
const DashboardsPage = lazy(() => import('./features/dashboards/DashboardsPage'));
const DashboardPage = lazyPage('dashboard');
const UsagePage = lazy(() => import('./features/usage/UsagePage'));
const CohortsPage = lazy(() => import('./features/cohorts/CohortsPage'));
const CohortPage = lazy(() => import('./features/cohorts/CohortPage'));
const WebAnalyticsPage = lazy(() => import('./features/web/WebAnalyticsPage'));

/** Sends a signed-out request to /login through the router, remembering where it was. */
function UnauthorizedRedirect() {
  const navigate = useNavigate();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      const here = window.location.pathname + window.location.search;
      if (window.location.pathname.startsWith('/login') || window.location.pathname.startsWith('/setup')) return;
      queryClient.removeQueries({ queryKey: keys.me });
      queryClient.setQueryData(keys.setup, (s: SetupStatus | undefined) => s && { ...s, signed_in: false });
      navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
    });
  }, [navigate]);
  return null;
}

const page = (node: ReactNode) => <Suspense fallback={<PageSkeleton />}>{node}</Suspense>;

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" cssVariablesResolver={cssVariablesResolver}>
      <QueryClientProvider client={queryClient}>
        <ModalsProvider>
          <Notifications position="bottom-right" />
          <BrowserRouter>
            <UnauthorizedRedirect />
            <Routes>
              <Route path="/" element={<RootRedirect />} />
              <Route path="/login" element={page(<LoginPage />)} />
              <Route path="/setup" element={page(<SetupPage />)} />
              <Route path="/invite/:token" element={page(<InvitePage />)} />
              <Route path="/project/:projectId" element={<AppLayout />}>
                <Route index element={<ProjectHome />} />
                <Route path="web" element={page(<WebAnalyticsPage />)} />
                <Route path="persons" element={page(<PersonsPage />)} />
                <Route path="person/:uuid" element={page(<PersonPage />)} />
                <Route path="insights" element={page(<InsightsListPage />)} />
                <Route path="insights/new" element={page(<InsightPage />)} />
                <Route path="insights/:shortId" element={page(<InsightPage />)} />
                <Route path="dashboards" element={page(<DashboardsPage />)} />
                <Route path="dashboard/:dashboardId" element={page(<DashboardPage />)} />
                <Route path="cohorts" element={page(<CohortsPage />)} />
                <Route path="cohorts/:cohortId" element={page(<CohortPage />)} />
                <Route path="events" element={page(<EventsPage />)} />
                <Route path="settings" element={page(<SettingsPage />)} />
                <Route path="usage" element={page(<UsagePage />)} />
                <Route path="*" element={page(<NotFoundPage />)} />
              </Route>
              <Route path="*" element={page(<NotFoundPage />)} />
            </Routes>
          </BrowserRouter>
        </ModalsProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
