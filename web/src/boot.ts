// Before React draws: the query cache gets what the page in the address bar will need, under the
// keys the page reads, all at once (the set-up and sign-in status first, so a signed-out browser
// asks nothing that is refused). The requests themselves were started by early.ts before this
// code had loaded: these take its answers (api/index.ts). The pages then find their data in the
// cache, or on its way, instead of asking one after another as each part of the screen appears.
import type { QueryClient } from '@tanstack/react-query';
import { eventsListOptions, eventsQueryFromParams } from './features/events/queries';
import { mergesOptions, personOptions, timelineOptions } from './features/person/queries';
import { personsListOptions, personsQueryFromParams } from './features/persons/queries';
import { meOptions, projectOptions, projectsOptions, setupOptions } from './lib/queries';
import { routeOf } from './route';

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
      const wanted: Promise<unknown>[] = [client.prefetchQuery(meOptions)];
      if (inProject) {
        const { projectId } = inProject;
        wanted.push(client.prefetchQuery(projectsOptions), client.prefetchQuery(projectOptions(projectId)));
        const params = new URLSearchParams(location.search);
        if (inProject.page === 'persons') {
          wanted.push(client.prefetchInfiniteQuery(personsListOptions(projectId, personsQueryFromParams(params))));
        } else if (inProject.page === 'events') {
          wanted.push(client.prefetchInfiniteQuery(eventsListOptions(projectId, eventsQueryFromParams(params))));
        } else if (inProject.page === 'person') {
          wanted.push(client.prefetchQuery(personOptions(projectId, inProject.uuid)));
          const tab = params.get('tab');
          if (!tab || tab === 'timeline') {
            wanted.push(
              client.prefetchInfiniteQuery(timelineOptions(projectId, inProject.uuid)),
              client.prefetchQuery(mergesOptions(projectId, inProject.uuid)),
            );
          }
        }
      }
      await Promise.allSettled(wanted);
    })
    .catch(() => {});
}
