import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { cursorOf, listPersons, type PersonsQuery } from '../../api';
import { decodeFilters } from '../../lib/urlState';

export type PersonsListQuery = Required<Pick<PersonsQuery, 'search' | 'properties' | 'order'>>;

/** What the persons page lists, read from its URL (the page and the early start share it). */
export function personsQueryFromParams(params: URLSearchParams): PersonsListQuery {
  return {
    search: params.get('search') ?? '',
    properties: decodeFilters(params.get('filters')),
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
  };
}

export function personsListOptions(projectId: string | number, q: Omit<PersonsQuery, 'cursor'>) {
  return infiniteQueryOptions({
    queryKey: ['persons', String(projectId), q],
    queryFn: ({ pageParam, signal }) => listPersons(projectId, { ...q, limit: q.limit ?? 100, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => cursorOf(last.next),
    // an answer this young (the app's early start has just fetched it) is not asked again on mount
    staleTime: 5_000,
  });
}

export function usePersonsList(projectId: string | number, q: Omit<PersonsQuery, 'cursor'>) {
  return useInfiniteQuery({ ...personsListOptions(projectId, q), placeholderData: keepPreviousData });
}
