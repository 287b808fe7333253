// Dashboards through TanStack Query: the list, one dashboard with its tiles, changes, and each
// tile's numbers (GET insights/:id/?from_dashboard=, so the dashboard's filters apply).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';
import {
  createDashboard,
  deleteDashboard,
  getInsight,
  updateDashboard,
  type Dashboard,
  type DashboardFields,
  type DashboardFilters,
  type Insight,
} from '../../api/insights';
import { dashboardKey, dashboardOptions } from './dashboardQuery';
import { hasDashboardFilters } from './model';
import { insightKeys } from '../insights/queries';

export const dashboardKeys = {
  one: dashboardKey,
  tile: (projectId: string | number, dashboardId: number, insightId: number, filters: DashboardFilters, modified: string) =>
    ['dashboard-tile', String(projectId), dashboardId, insightId, JSON.stringify(filters ?? {}), modified] as const,
};

export function useDashboard(projectId: string | number, id: string | number | undefined) {
  return useQuery({ ...dashboardOptions(projectId, id ?? ''), enabled: id !== undefined && id !== '' });
}

export function useUpdateDashboard(projectId: string | number, id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (fields: DashboardFields) => updateDashboard(projectId, id, fields),
    onSuccess: (dashboard) => {
      client.setQueryData(dashboardKeys.one(projectId, id), dashboard);
      void client.invalidateQueries({ queryKey: insightKeys.dashboards(projectId) });
    },
  });
}

export function useCreateDashboard(projectId: string | number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (fields: DashboardFields & { name: string; use_dashboard?: number }) => createDashboard(projectId, fields),
    onSuccess: (d) => {
      client.setQueryData(dashboardKeys.one(projectId, d.id), d);
      void client.invalidateQueries({ queryKey: insightKeys.dashboards(projectId) });
    },
  });
}

export function useDeleteDashboard(projectId: string | number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => deleteDashboard(projectId, id),
    onSuccess: () => void client.invalidateQueries({ queryKey: insightKeys.dashboards(projectId) }),
  });
}

/** How long a tile's kept answer is shown before the server computes it again (TileAnswers.FRESH). */
export const TILE_FRESH_MS = 60_000;

/**
 * One insight tile's answer with the dashboard's filters; `refresh` recomputes past the cache.
 * Without dashboard filters, the dashboard's own response already carries each insight's kept
 * answer: the tile draws it at once, and asks again only once it is older than TILE_FRESH_MS. While
 * the server computes a newer answer behind the kept one (`refreshing`), the tile asks every 1.5 s.
 */
export function useTileResult(projectId: string | number, dashboard: Dashboard, insight: Insight) {
  const force = useRef(false);
  const kept = !hasDashboardFilters(dashboard.filters) && insight.result != null && insight.last_refresh ? insight : undefined;
  const result = useQuery({
    queryKey: dashboardKeys.tile(projectId, dashboard.id, insight.id, dashboard.filters, insight.last_modified_at),
    queryFn: ({ signal }) => {
      const refresh = force.current;
      force.current = false;
      return getInsight(projectId, insight.id, { from_dashboard: dashboard.id, refresh }, signal);
    },
    initialData: kept,
    initialDataUpdatedAt: kept ? Date.parse(kept.last_refresh!) : undefined,
    refetchInterval: (q) => (q.state.data?.refreshing ? 1500 : dashboard.refresh_interval ? dashboard.refresh_interval * 1000 : false),
    staleTime: TILE_FRESH_MS,
  });
  const refresh = useCallback(() => {
    force.current = true;
    void result.refetch();
  }, [result]);
  return { ...result, refresh };
}
