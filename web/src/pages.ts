// Each page's code, loaded when first shown. The same functions start the download early: at
// start-up for the page in the address bar (see boot.ts), so it comes in beside the data.
export const pageModules = {
  login: () => import('./features/auth/LoginPage'),
  setup: () => import('./features/auth/SetupPage'),
  invite: () => import('./features/auth/InvitePage'),
  persons: () => import('./features/persons/PersonsPage'),
  person: () => import('./features/person/PersonPage'),
  events: () => import('./features/events/EventsPage'),
  settings: () => import('./features/settings/SettingsPage'),
  notFound: () => import('./features/shell/NotFoundPage'),
};

export type PageName = keyof typeof pageModules;
