import { MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useNavigate } from 'react-router';
import { setUnauthorizedHandler } from './api';
import { PageSkeleton } from './components/PageSkeleton';
import { retryUnlessClientError } from './lib/queries';
import { cssVariablesResolver, theme } from './theme';
import { AppLayout } from './features/shell/AppLayout';
import { RootRedirect } from './features/auth/RootRedirect';

const LoginPage = lazy(() => import('./features/auth/LoginPage'));
const SetupPage = lazy(() => import('./features/auth/SetupPage'));
const InvitePage = lazy(() => import('./features/auth/InvitePage'));
const PersonsPage = lazy(() => import('./features/persons/PersonsPage'));
const PersonPage = lazy(() => import('./features/person/PersonPage'));
const EventsPage = lazy(() => import('./features/events/EventsPage'));
const SettingsPage = lazy(() => import('./features/settings/SettingsPage'));
const UsagePage = lazy(() => import('./features/usage/UsagePage'));
const NotFoundPage = lazy(() => import('./features/shell/NotFoundPage'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: retryUnlessClientError, refetchOnWindowFocus: false },
  },
});

/** Sends a signed-out request to /login through the router, remembering where it was. */
function UnauthorizedRedirect() {
  const navigate = useNavigate();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      const here = window.location.pathname + window.location.search;
      if (window.location.pathname.startsWith('/login') || window.location.pathname.startsWith('/setup')) return;
      queryClient.removeQueries({ queryKey: ['me'] });
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
                <Route index element={<Navigate to="persons" replace />} />
                <Route path="persons" element={page(<PersonsPage />)} />
                <Route path="person/:uuid" element={page(<PersonPage />)} />
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
