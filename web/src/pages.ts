// Each page's code, loaded when first shown. The same functions start the download early: at
// start-up for the page in the address bar (see early.ts), so it comes in beside the data.
import type { ComponentType } from 'react';

type PageModule = { default: ComponentType };

/** Pages whose code has arrived: drawn at once, without a loading state first. */
export const loadedPages = new Map<string, ComponentType>();

function loader(name: string, load: () => Promise<PageModule>) {
  let started: Promise<PageModule> | null = null;
  return () =>
    (started ??= load().then(
      (m) => {
        loadedPages.set(name, m.default);
        return m;
      },
      (e) => {
        started = null; // a failed download is tried again next time
        throw e;
      },
    ));
}

export const pageModules = {
  login: loader('login', () => import('./features/auth/LoginPage')),
  setup: loader('setup', () => import('./features/auth/SetupPage')),
  invite: loader('invite', () => import('./features/auth/InvitePage')),
  persons: loader('persons', () => import('./features/persons/PersonsPage')),
  person: loader('person', () => import('./features/person/PersonPage')),
  events: loader('events', () => import('./features/events/EventsPage')),
  settings: loader('settings', () => import('./features/settings/SettingsPage')),
  dashboard: loader('dashboard', () => import('./features/dashboards/DashboardPage')),
  notFound: loader('notFound', () => import('./features/shell/NotFoundPage')),
};

export type PageName = keyof typeof pageModules;

/** Parts of a page with code of their own, started early beside the page's data like the pages. */
export const partModules = {
  dashboardGrid: loader('dashboardGrid', () => import('./features/dashboards/DashboardGrid') as Promise<PageModule>),
};

export type PartName = keyof typeof partModules;
