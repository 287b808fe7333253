// Queries more than one feature reads: who is signed in, the projects, and the definitions
// that feed pickers.
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import {
  ApiError,
  getDemo,
  getMe,
  getSetup,
  getProject,
  listEventDefinitions,
  listProjects,
  listPropertyDefinitions,
  listPropertyValues,
  rememberCsrfToken,
  type PropertyType,
} from '../api';

export const keys = {
  setup: ['setup'] as const,
  me: ['me'] as const,
  projects: ['projects'] as const,
  project: (id: string | number) => ['project', String(id)] as const,
  demo: ['demo'] as const,
  eventDefinitions: (projectId: string | number, search: string) => ['event-definitions', String(projectId), search] as const,
  propertyDefinitions: (projectId: string | number, type: PropertyType, search: string) =>
    ['property-definitions', String(projectId), type, search] as const,
  propertyValues: (projectId: string | number, type: PropertyType, key: string, prefix: string) =>
    ['property-values', String(projectId), type, key, prefix] as const,
};

/** A retry policy that does not hammer the server for answers that will not change. */
export function retryUnlessClientError(failureCount: number, error: unknown) {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

/**
 * Set-up and sign-in status, asked before anything that needs a session: a signed-out browser is
 * sent to the sign-in page without a refused request. Kept until signing in or out changes it.
 */
export const setupOptions = queryOptions({ queryKey: keys.setup, queryFn: getSetup, retry: false, staleTime: Infinity });

export function useSetupStatus() {
  return useQuery(setupOptions);
}

export const meOptions = queryOptions({
  queryKey: keys.me,
  queryFn: async () => {
    const me = await getMe();
    rememberCsrfToken(me.csrf_token);
    return me;
  },
  retry: false,
  staleTime: 60_000,
});

export function useMe(enabled = true) {
  return useQuery({ ...meOptions, enabled });
}

export const projectsOptions = queryOptions({ queryKey: keys.projects, queryFn: listProjects, staleTime: 30_000 });

export function useProjects(enabled = true) {
  return useQuery({ ...projectsOptions, enabled });
}

export const projectOptions = (id: string | number) =>
  queryOptions({ queryKey: keys.project(id), queryFn: () => getProject(id), staleTime: 10_000 });

export function useProject(id: string | number | undefined, enabled = true) {
  return useQuery({ ...projectOptions(id ?? ''), enabled: enabled && id !== undefined && id !== '' });
}

export function useDemoStatus(options: { poll?: boolean; enabled?: boolean } = {}) {
  return useQuery({
    queryKey: keys.demo,
    queryFn: getDemo,
    enabled: options.enabled ?? true,
    refetchInterval: (q) => (options.poll || q.state.data?.status === 'running' ? 1000 : false),
  });
}

export function useEventDefinitions(projectId: string | number, search = '') {
  return useQuery({
    queryKey: keys.eventDefinitions(projectId, search),
    queryFn: () => listEventDefinitions(projectId, search || undefined),
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}

export function usePropertyDefinitions(projectId: string | number, type: PropertyType, search = '', enabled = true) {
  return useQuery({
    queryKey: keys.propertyDefinitions(projectId, type, search),
    queryFn: () => listPropertyDefinitions(projectId, type, search || undefined),
    staleTime: 60_000,
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function usePropertyValues(projectId: string | number, type: PropertyType, key: string, prefix = '') {
  return useQuery({
    queryKey: keys.propertyValues(projectId, type, key, prefix),
    queryFn: () => listPropertyValues(projectId, type, key, prefix || undefined),
    enabled: key !== '',
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}
