// Which page a path shows, as App's routes read it; no React, so the early start can use it.

export type Route =
  | { page: 'root' }
  | { page: 'login' | 'setup' | 'invite' }
  | { page: 'persons' | 'events' | 'settings'; projectId: string }
  | { page: 'person'; projectId: string; uuid: string }
  | { page: 'dashboard'; projectId: string; dashboardId: string }
  | { page: 'other' };

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
    if (parts.length === 4 && parts[2] === 'dashboard') return { page: 'dashboard', projectId, dashboardId: parts[3] };
  }
  return { page: 'other' };
}

/** A project's first page: web analytics when its traffic is anonymous only (events, no identified person yet), else its persons. */
export function homeOf(project: { has_events: boolean; has_identified_persons?: boolean }): 'web' | 'persons' {
  return project.has_events && !project.has_identified_persons ? 'web' : 'persons';
}
