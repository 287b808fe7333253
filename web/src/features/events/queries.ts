import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { cursorOf, listEvents, type EventsQuery } from '../../api';
import { decodeFilters } from '../../lib/urlState';

/** What the events page lists, read from its URL (the page and the early start share it). */
export function eventsQueryFromParams(params: URLSearchParams): Omit<EventsQuery, 'cursor'> {
  return {
    event: params.get('event') || undefined,
    properties: decodeFilters(params.get('filters')),
    after: params.get('from') || undefined,
    before: params.get('to') || undefined,
  };
}

export function eventsListOptions(projectId: string | number, q: Omit<EventsQuery, 'cursor'>) {
  return infiniteQueryOptions({
    queryKey: ['events', String(projectId), q],
    queryFn: ({ pageParam, signal }) => listEvents(projectId, { ...q, limit: q.limit ?? 100, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => cursorOf(last.next),
    // an answer this young (the app's early start has just fetched it) is not asked again on mount
    staleTime: 5_000,
  });
}

export function useEventsList(projectId: string | number, q: Omit<EventsQuery, 'cursor'>) {
  return useInfiniteQuery({ ...eventsListOptions(projectId, q), placeholderData: keepPreviousData });
}
