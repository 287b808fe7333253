import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { runQuery, type QueryJson } from '../../api/insights';
import { retryUnlessClientError } from '../../lib/queries';

/** One tile's query: cached by its JSON, the previous answer kept on screen while the next loads. */
export function useWebQuery<T>(projectId: number | string, query: QueryJson, options: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: ['web', String(projectId), query],
    queryFn: async ({ signal }) => (await runQuery(projectId, query, { signal })) as T,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    retry: retryUnlessClientError,
    refetchInterval: options.refetchInterval,
  });
}
