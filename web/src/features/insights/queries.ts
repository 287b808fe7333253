// TanStack Query hooks for insights: running a query (with refresh, cancel and its elapsed time),
// the saved insights list, one insight, and saving.
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  createInsight,
  deleteInsight,
  findInsight,
  listDashboards,
  listInsights,
  runQuery,
  updateInsight,
  type Insight,
  type InsightFields,
  type QueryJson,
  type QueryResponse,
} from '../../api/insights';
import { cleanQuery, readiness } from './query/model';
import type { InsightQuery } from './query/types';

export const insightKeys = {
  query: (projectId: string | number, json: string) => ['query', String(projectId), json] as const,
  list: (projectId: string | number, search: string, favorited: boolean) => ['insights', String(projectId), search, favorited] as const,
  all: (projectId: string | number) => ['insights', String(projectId)] as const,
  one: (projectId: string | number, id: string | number) => ['insight', String(projectId), String(id)] as const,
  dashboards: (projectId: string | number) => ['dashboards', String(projectId)] as const,
};

/** A result together with the query that produced it, so a chart never pairs an answer with another question. */
export interface Answer {
  query: InsightQuery;
  response: QueryResponse;
}

/** Seconds since `running` became true, ticking while it stays true. */
export function useElapsed(running: boolean): number {
  const [elapsed, setElapsed] = useState(0);
  useEffect(() => {
    if (!running) return;
    const start = performance.now();
    setElapsed(0);
    const id = window.setInterval(() => setElapsed((performance.now() - start) / 1000), 100);
    return () => window.clearInterval(id);
  }, [running]);
  return elapsed;
}

/**
 * Runs the insight's query through POST /query/. The previous answer stays on screen while a new
 * one is computed; `refresh` recomputes past the server's cache; `cancel` aborts the request.
 */
export function useInsightResult(projectId: string | number, query: InsightQuery) {
  const client = useQueryClient();
  const clean = useMemo(() => cleanQuery(query), [query]);
  const json = useMemo(() => JSON.stringify(clean), [clean]);
  const notReady = readiness(query);
  const key = insightKeys.query(projectId, json);
  const force = useRef(false);
  const [cancelled, setCancelled] = useState<string | null>(null);

  const result = useQuery({
    queryKey: key,
    enabled: !notReady && cancelled !== json,
    queryFn: async ({ signal }): Promise<Answer> => {
      const refresh = force.current;
      force.current = false;
      const response = await runQuery(projectId, clean as unknown as QueryJson, { refresh, signal });
      return { query: clean, response };
    },
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    retry: false,
  });

  const refresh = useCallback(() => {
    force.current = true;
    setCancelled(null);
    void result.refetch();
  }, [result]);
  const cancel = useCallback(() => {
    setCancelled(json);
    void client.cancelQueries({ queryKey: key });
  }, [client, json, key]);
  const rerun = useCallback(() => setCancelled(null), []);
  const elapsed = useElapsed(result.isFetching);

  return {
    answer: result.data,
    /** The shown answer is for another question (a newer one is being computed). */
    stale: result.isPlaceholderData,
    loading: result.isFetching,
    error: result.isError && !result.isFetching ? result.error : null,
    cancelled: cancelled === json && !result.isFetching,
    notReady,
    elapsed,
    refresh,
    cancel,
    rerun,
    sent: clean,
  };
}

export function useInsightsList(projectId: string | number, search: string, favorited: boolean) {
  return useInfiniteQuery({
    queryKey: insightKeys.list(projectId, search, favorited),
    initialPageParam: 0,
    queryFn: ({ pageParam, signal }) => listInsights(projectId, { search, favorited, limit: 50, offset: pageParam }, signal),
    getNextPageParam: (last, pages) => (last.next ? pages.reduce((n, p) => n + p.results.length, 0) : undefined),
    placeholderData: keepPreviousData,
  });
}

export function useSavedInsight(projectId: string | number, id: string | undefined) {
  return useQuery({
    queryKey: insightKeys.one(projectId, id ?? ''),
    enabled: !!id,
    // GET insights/:id/ computes an insight never computed; the list by short id does not
    queryFn: ({ signal }) => findInsight(projectId, id!, signal),
    staleTime: 10_000,
  });
}

export function useDashboardsList(projectId: string | number, enabled = true) {
  return useQuery({ queryKey: insightKeys.dashboards(projectId), queryFn: () => listDashboards(projectId), enabled, staleTime: 10_000 });
}

export function useSaveInsight(projectId: string | number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, fields }: { id?: number; fields: InsightFields }): Promise<Insight> =>
      id === undefined ? createInsight(projectId, { ...fields, query: fields.query! }) : updateInsight(projectId, id, fields),
    onSuccess: (insight) => {
      client.setQueryData(insightKeys.one(projectId, insight.short_id), insight);
      client.setQueryData(insightKeys.one(projectId, insight.id), insight);
      void client.invalidateQueries({ queryKey: insightKeys.all(projectId) });
      void client.invalidateQueries({ queryKey: insightKeys.dashboards(projectId) });
      void client.invalidateQueries({ queryKey: ['dashboard', String(projectId)] });
    },
  });
}

export function useDeleteInsight(projectId: string | number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => deleteInsight(projectId, id),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: insightKeys.all(projectId) });
      void client.invalidateQueries({ queryKey: ['dashboard', String(projectId)] });
    },
  });
}
