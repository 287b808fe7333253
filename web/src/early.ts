// The first code to run, before React, Mantine and the pages have loaded (they come in after, see
// main.tsx): asks for what the page in the address bar needs, all at once. The set-up and sign-in
// status first, so a signed-out browser asks nothing that is refused; then, signed in, the user,
// the projects, the project and the page's own data, beside the page's code. The app takes these
// answers when it asks for the same URLs (api/index.ts); nothing here knows React.
import { getDashboard } from './api/insights';
import {
  getMe,
  getPerson,
  getProject,
  getSetup,
  getTimeline,
  listEvents,
  listMerges,
  listPersons,
  listProjects,
  startEarly,
} from './api';
import { eventsQueryFromParams, PAGE_SIZE, personsQueryFromParams } from './lib/listQueries';
import { loadEcharts } from './components/charts/echartsLoader';
import { pageModules, partModules, type PageName } from './pages';
import { homeOf, routeOf, type Route } from './route';

const CODE: Partial<Record<Route['page'], PageName>> = {
  login: 'login',
  setup: 'setup',
  invite: 'invite',
  persons: 'persons',
  person: 'person',
  events: 'events',
  settings: 'settings',
  dashboard: 'dashboard',
  // `/` leads a signed-in user to the persons page
  root: 'persons',
};

/** The code of the page at `pathname`: started (or already here) once asked for. */
export function pageCode(pathname: string): Promise<unknown> | null {
  const code = CODE[routeOf(pathname).page];
  return code ? pageModules[code]() : null;
}

const quiet = (p: Promise<unknown>) => {
  p.catch(() => {});
};

/** Starts the page's code and data; returns at once. Failures are left to the app, which asks again. */
export function startPage(location: { pathname: string; search: string }) {
  const route = routeOf(location.pathname);
  const code = CODE[route.page];
  const appPage = route.page === 'root' || 'projectId' in route;
  // the status before the code: it is what everything else waits for
  const status = appPage ? startEarly(() => getSetup()) : null;
  if (code) quiet(pageModules[code]());
  if (!status) return;
  const inProject = 'projectId' in route ? route : null;
  const params = new URLSearchParams(location.search);

  quiet(
    status.then((s) => {
      if (!s.signed_in) return;
      startEarly(() => {
        const me = getMe();
        quiet(me);
        if (inProject) {
          askForPage(inProject, params);
        } else {
          // `/` leads to the home of the user's first project: its persons, unless its traffic is
          // anonymous only (web analytics, see ProjectHome), which the project's answer says
          quiet(
            me.then((user) => {
              if (!user.team) return;
              const projectId = String(user.team.id);
              const project = startEarly(() => {
                quiet(listProjects());
                return getProject(projectId);
              });
              return project.then((p) => {
                if (homeOf(p) === 'persons') startEarly(() => askForPage({ page: 'persons', projectId }, new URLSearchParams(), false));
              });
            }),
          );
        }
      });
    }),
  );
}

type ProjectRoute = Extract<Route, { projectId: string }>;

/** A project page's own requests (inside startEarly); `withProject`: the projects and the project too. */
function askForPage(route: ProjectRoute, params: URLSearchParams, withProject = true) {
  const { projectId } = route;
  if (withProject) {
    quiet(listProjects());
    quiet(getProject(projectId));
  }
  if (route.page === 'persons') {
    quiet(listPersons(projectId, { ...personsQueryFromParams(params), limit: PAGE_SIZE }));
  } else if (route.page === 'events') {
    quiet(listEvents(projectId, { ...eventsQueryFromParams(params), limit: PAGE_SIZE }));
  } else if (route.page === 'person') {
    quiet(getPerson(projectId, route.uuid));
    const tab = params.get('tab');
    if (!tab || tab === 'timeline') {
      quiet(getTimeline(projectId, route.uuid, { limit: PAGE_SIZE }));
      quiet(listMerges(projectId, route.uuid));
    }
  } else if (route.page === 'dashboard') {
    quiet(getDashboard(projectId, route.dashboardId));
    // the grid and the charts come beside the data instead of after it, through the loaders the
    // page uses, so it draws them in its first render
    quiet(partModules.dashboardGrid());
    quiet(loadEcharts());
  }
}
