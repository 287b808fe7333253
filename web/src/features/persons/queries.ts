import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { cursorOf, listPersons, type PersonsQuery } from '../../api';

export function usePersonsList(projectId: string | number, q: Omit<PersonsQuery, 'cursor'>) {
  return useInfiniteQuery({
    queryKey: ['persons', String(projectId), q],
    queryFn: ({ pageParam, signal }) => listPersons(projectId, { ...q, limit: q.limit ?? 100, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => cursorOf(last.next),
    placeholderData: keepPreviousData,
  });
}
