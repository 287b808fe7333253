import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { cursorOf, listEvents, type EventsQuery } from '../../api';

export function useEventsList(projectId: string | number, q: Omit<EventsQuery, 'cursor'>) {
  return useInfiniteQuery({
    queryKey: ['events', String(projectId), q],
    queryFn: ({ pageParam, signal }) => listEvents(projectId, { ...q, limit: q.limit ?? 100, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => cursorOf(last.next),
    placeholderData: keepPreviousData,
  });
}
