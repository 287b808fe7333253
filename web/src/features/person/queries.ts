import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  cursorOf,
  deletePerson,
  deletePersonProperty,
  getPerson,
  getTimeline,
  listMerges,
  splitPerson,
  updatePersonProperty,
  type Json,
  type Person,
} from '../../api';
import { PAGE_SIZE } from '../../lib/listQueries';

export const personKeys = {
  person: (projectId: string | number, uuid: string) => ['person', String(projectId), uuid] as const,
  merges: (projectId: string | number, uuid: string) => ['person-merges', String(projectId), uuid] as const,
  timeline: (projectId: string | number, uuid: string) => ['person-timeline', String(projectId), uuid] as const,
  latest: (projectId: string | number, uuid: string) => ['person-latest', String(projectId), uuid] as const,
};

/** Answers this young are not asked again when a page mounts (the app's early start has just fetched them). */
export const FRESH_MS = 5_000;

export const personOptions = (projectId: string | number, uuid: string) =>
  queryOptions({ queryKey: personKeys.person(projectId, uuid), queryFn: () => getPerson(projectId, uuid), staleTime: FRESH_MS });

export const mergesOptions = (projectId: string | number, uuid: string) =>
  queryOptions({ queryKey: personKeys.merges(projectId, uuid), queryFn: () => listMerges(projectId, uuid), staleTime: FRESH_MS });

export const timelineOptions = (projectId: string | number, uuid: string) =>
  infiniteQueryOptions({
    queryKey: personKeys.timeline(projectId, uuid),
    queryFn: ({ pageParam, signal }) => getTimeline(projectId, uuid, { limit: PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => cursorOf(last.next),
    staleTime: FRESH_MS,
  });

export function usePerson(projectId: string | number, uuid: string) {
  return useQuery(personOptions(projectId, uuid));
}

export function useMerges(projectId: string | number, uuid: string) {
  return useQuery(mergesOptions(projectId, uuid));
}

/**
 * The newest event, for "last seen", location and device in the header. The timeline's first
 * page already holds it when that is loaded, so opening a profile asks once, not twice.
 */
export function useLatestEvent(projectId: string | number, uuid: string, enabled: boolean) {
  const client = useQueryClient();
  return useQuery({
    enabled,
    queryKey: personKeys.latest(projectId, uuid),
    queryFn: ({ signal }) => getTimeline(projectId, uuid, { limit: 1 }, signal),
    initialData: () => {
      const first = client.getQueryData(timelineOptions(projectId, uuid).queryKey)?.pages[0];
      return first ? { ...first, results: first.results.slice(0, 1) } : undefined;
    },
    initialDataUpdatedAt: () => client.getQueryState(timelineOptions(projectId, uuid).queryKey)?.dataUpdatedAt,
    select: (page) => page.results[0] ?? null,
    staleTime: FRESH_MS,
    refetchInterval: 15_000,
  });
}

export function useTimeline(projectId: string | number, uuid: string) {
  return useInfiniteQuery(timelineOptions(projectId, uuid));
}

/** Property edits: the server answers 202 and applies them shortly, so the cache is updated at once. */
export function usePropertyMutations(projectId: string | number, uuid: string) {
  const client = useQueryClient();
  const key = personKeys.person(projectId, uuid);
  const patch = (change: (props: Record<string, Json>) => Record<string, Json>) =>
    client.setQueryData<Person>(key, (p) => (p ? { ...p, properties: change({ ...p.properties }) } : p));
  const settle = () => window.setTimeout(() => client.invalidateQueries({ queryKey: key }), 1500);
  const update = useMutation({
    mutationFn: ({ key: k, value }: { key: string; value: Json }) => updatePersonProperty(projectId, uuid, k, value),
    onSuccess: (_, { key: k, value }) => {
      patch((props) => ({ ...props, [k]: value }));
      settle();
    },
  });
  const remove = useMutation({
    mutationFn: (k: string) => deletePersonProperty(projectId, uuid, k),
    onSuccess: (_, k) => {
      patch((props) => {
        delete props[k];
        return props;
      });
      settle();
    },
  });
  return { update, remove };
}

export function useSplit(projectId: string | number, uuid: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (mainDistinctId: string) => splitPerson(projectId, uuid, mainDistinctId),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: ['persons', String(projectId)] });
      client.invalidateQueries({ queryKey: personKeys.person(projectId, uuid) });
      client.invalidateQueries({ queryKey: personKeys.merges(projectId, uuid) });
      client.invalidateQueries({ queryKey: personKeys.timeline(projectId, uuid) });
    },
  });
}

export function useDeletePerson(projectId: string | number, uuid: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (deleteEvents: boolean) => deletePerson(projectId, uuid, deleteEvents),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: ['persons', String(projectId)] });
      client.removeQueries({ queryKey: personKeys.person(projectId, uuid) });
    },
  });
}
