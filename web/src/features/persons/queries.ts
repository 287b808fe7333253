import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { cursorOf, listPersons, type PersonsQuery } from '../../api';
import { PAGE_SIZE } from '../../lib/listQueries';

export { personsQueryFromParams, type PersonsListQuery } from '../../lib/listQueries';

export function personsListOptions(projectId: string | number, q: Omit<PersonsQuery, 'cursor'>) {
  return infiniteQueryOptions({
    queryKey: ['persons', String(projectId), q],
    queryFn: ({ pageParam, signal }) => listPersons(projectId, { ...q, limit: q.limit ?? PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => cursorOf(last.next),
    // an answer this young (the app's early start has just fetched it) is not asked again on mount
    staleTime: 5_000,
  });
}

export function usePersonsList(projectId: string | number, q: Omit<PersonsQuery, 'cursor'>) {
  return useInfiniteQuery({ ...personsListOptions(projectId, q), placeholderData: keepPreviousData });
}
