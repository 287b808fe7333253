import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { cursorOf, listEvents, type EventsQuery } from '../../api';
import { PAGE_SIZE } from '../../lib/listQueries';

export { eventsQueryFromParams } from '../../lib/listQueries';

export function eventsListOptions(projectId: string | number, q: Omit<EventsQuery, 'cursor'>) {
  return infiniteQueryOptions({
    queryKey: ['events', String(projectId), q],
    queryFn: ({ pageParam, signal }) => listEvents(projectId, { ...q, limit: q.limit ?? PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => cursorOf(last.next),
    // an answer this young (the app's early start has just fetched it) is not asked again on mount
    staleTime: 5_000,
  });
}

export function useEventsList(projectId: string | number, q: Omit<EventsQuery, 'cursor'>) {
  return useInfiniteQuery({ ...eventsListOptions(projectId, q), placeholderData: keepPreviousData });
}
