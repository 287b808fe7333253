// The early start: before React has drawn anything, ask for what the page in the address bar will
// need, all at once: the set-up and sign-in status, then (signed in) the user, the projects, the
// project and the page's own data, beside the page's code. The pages then find the answers
// (or the requests in flight) in the query cache under the same keys, instead of asking one
// after another as each part of the screen appears.
import type { QueryClient } from '@tanstack/react-query';
import { eventsListOptions, eventsQueryFromParams } from './features/events/queries';
import { mergesOptions, personOptions, timelineOptions } from './features/person/queries';
import { personsListOptions, personsQueryFromParams } from './features/persons/queries';
import { meOptions, projectOptions, projectsOptions, setupOptions } from './lib/queries';
import { pageModules, type PageName } from './pages';

export type Route =
  | { page: 'root' }
  | { page: 'login' | 'setup' | 'invite' }
  | { page: 'persons' | 'events' | 'settings'; projectId: string }
  | { page: 'person'; projectId: string; uuid: string }
  | { page: 'other' };

/** Which page a path shows, as App's routes read it. */
export function routeOf(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  if (parts.length === 0) return { page: 'root' };
  if (parts.length === 1 && (parts[0] === 'login' || parts[0] === 'setup')) return { page: parts[0] };
  if (parts.length === 2 && parts[0] === 'invite') return { page: 'invite' };
  if (parts[0] === 'project' && parts[1]) {
    const projectId = parts[1];
    if (parts.length === 2 || (parts.length === 3 && parts[2] === 'persons')) return { page: 'persons', projectId };
    if (parts.length === 3 && (parts[2] === 'events' || parts[2] === 'settings')) return { page: parts[2], projectId };
    if (parts.length === 4 && parts[2] === 'person') return { page: 'person', projectId, uuid: parts[3] };
  }
  return { page: 'other' };
}

const CODE: Partial<Record<Route['page'], PageName>> = {
  login: 'login',
  setup: 'setup',
  invite: 'invite',
  persons: 'persons',
  person: 'person',
  events: 'events',
  settings: 'settings',
  // `/` leads a signed-in user to the persons page
  root: 'persons',
};

/** Starts the page's code and data; returns at once. Failures are left to the pages, which ask again. */
export function startEarly(client: QueryClient, location: { pathname: string; search: string }) {
  const route = routeOf(location.pathname);
  const code = CODE[route.page];
  if (code) pageModules[code]().catch(() => {});
  if (route.page !== 'root' && !('projectId' in route)) return;
  const inProject = 'projectId' in route ? route : null;

  // The status first: a signed-out browser then asks nothing that would be refused.
  client
    .fetchQuery(setupOptions)
    .then((s) => {
      if (!s.signed_in) return;
      const quiet = (p: Promise<unknown>) => p.catch(() => {});
      quiet(client.prefetchQuery(meOptions));
      if (!inProject) return;
      const { projectId } = inProject;
      quiet(client.prefetchQuery(projectsOptions));
      quiet(client.prefetchQuery(projectOptions(projectId)));
      const params = new URLSearchParams(location.search);
      if (inProject.page === 'persons') {
        quiet(client.prefetchInfiniteQuery(personsListOptions(projectId, personsQueryFromParams(params))));
      } else if (inProject.page === 'events') {
        quiet(client.prefetchInfiniteQuery(eventsListOptions(projectId, eventsQueryFromParams(params))));
      } else if (inProject.page === 'person') {
        quiet(client.prefetchQuery(personOptions(projectId, inProject.uuid)));
        const tab = params.get('tab');
        if (!tab || tab === 'timeline') {
          quiet(client.prefetchInfiniteQuery(timelineOptions(projectId, inProject.uuid)));
          quiet(client.prefetchQuery(mergesOptions(projectId, inProject.uuid)));
        }
      }
    })
    .catch(() => {});
}
