// Before React draws: the query cache gets what the page in the address bar will need, under the
// keys the page reads, all at once (the set-up and sign-in status first, so a signed-out browser
// asks nothing that is refused). The requests themselves were started by early.ts before this
// code had loaded: these take its answers (api/index.ts). The pages then find their data in the
// cache, or on its way, instead of asking one after another as each part of the screen appears.
import type { QueryClient } from '@tanstack/react-query';
import { eventsListOptions, eventsQueryFromParams } from './features/events/queries';
import { mergesOptions, personOptions, timelineOptions } from './features/person/queries';
import { personsListOptions, personsQueryFromParams } from './features/persons/queries';
import { dashboardOptions } from './features/dashboards/dashboardQuery';
import { meOptions, projectOptions, projectsOptions, setupOptions } from './lib/queries';
import { homeOf, routeOf, type Route } from './route';

/**
 * Starts filling the cache. The promise settles once what the page shows first is there (or has
 * failed: the page then says so); it never rejects.
 */
export function fillCache(client: QueryClient, location: { pathname: string; search: string }): Promise<void> {
  const route = routeOf(location.pathname);
  if (route.page !== 'root' && !('projectId' in route)) return Promise.resolve();
  const inProject = 'projectId' in route ? route : null;

  // The status first: a signed-out browser then asks nothing that would be refused.
  return client
    .fetchQuery(setupOptions)
    .then(async (s) => {
      if (!s.signed_in) return;
      const me = client.fetchQuery(meOptions);
      const wanted: Promise<unknown>[] = [me];
      if (inProject) {
        wanted.push(...askForPage(client, inProject, new URLSearchParams(location.search)));
      } else {
        // `/` leads to the home of the user's first project (see early.ts)
        const user = await me.catch(() => null);
        if (user?.team) {
          const projectId = String(user.team.id);
          const project = await client.fetchQuery(projectOptions(projectId)).catch(() => null);
          if (project && homeOf(project) === 'persons') wanted.push(...askForPage(client, { page: 'persons', projectId }, new URLSearchParams()));
          else wanted.push(client.prefetchQuery(projectsOptions));
        }
      }
      await Promise.allSettled(wanted);
    })
    .catch(() => {});
}

type ProjectRoute = Extract<Route, { projectId: string }>;

/** A project page's queries, under the keys its components read. */
function askForPage(client: QueryClient, route: ProjectRoute, params: URLSearchParams): Promise<unknown>[] {
  const { projectId } = route;
  const wanted: Promise<unknown>[] = [client.prefetchQuery(projectsOptions), client.prefetchQuery(projectOptions(projectId))];
  if (route.page === 'persons') {
    wanted.push(client.prefetchInfiniteQuery(personsListOptions(projectId, personsQueryFromParams(params))));
  } else if (route.page === 'events') {
    wanted.push(client.prefetchInfiniteQuery(eventsListOptions(projectId, eventsQueryFromParams(params))));
  } else if (route.page === 'dashboard') {
    wanted.push(client.prefetchQuery(dashboardOptions(projectId, route.dashboardId)));
  } else if (route.page === 'person') {
    wanted.push(client.prefetchQuery(personOptions(projectId, route.uuid)));
    const tab = params.get('tab');
    if (!tab || tab === 'timeline') {
      wanted.push(client.prefetchInfiniteQuery(timelineOptions(projectId, route.uuid)), client.prefetchQuery(mergesOptions(projectId, route.uuid)));
    }
  }
  return wanted;
}
