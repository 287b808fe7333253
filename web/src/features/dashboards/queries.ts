// Dashboards through TanStack Query: the list, one dashboard with its tiles, changes, and each
// tile's numbers (GET insights/:id/?from_dashboard=, so the dashboard's filters apply).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';
import {
  createDashboard,
  deleteDashboard,
  getDashboard,
  getInsight,
  updateDashboard,
  type Dashboard,
  type DashboardFields,
  type DashboardFilters,
} from '../../api/insights';
import { insightKeys } from '../insights/queries';

export const dashboardKeys = {
  one: (projectId: string | number, id: string | number) => ['dashboard', String(projectId), String(id)] as const,
  tile: (projectId: string | number, dashboardId: number, insightId: number, filters: DashboardFilters, modified: string) =>
    ['dashboard-tile', String(projectId), dashboardId, insightId, JSON.stringify(filters ?? {}), modified] as const,
};

export function useDashboard(projectId: string | number, id: string | number | undefined) {
  return useQuery({
    queryKey: dashboardKeys.one(projectId, id ?? ''),
    enabled: id !== undefined && id !== '',
    queryFn: () => getDashboard(projectId, id!),
  });
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

/** One insight tile's answer with the dashboard's filters; `refresh` recomputes past the cache. */
export function useTileResult(projectId: string | number, dashboard: Dashboard, insightId: number, modified: string) {
  const force = useRef(false);
  const result = useQuery({
    queryKey: dashboardKeys.tile(projectId, dashboard.id, insightId, dashboard.filters, modified),
    queryFn: ({ signal }) => {
      const refresh = force.current;
      force.current = false;
      return getInsight(projectId, insightId, { from_dashboard: dashboard.id, refresh }, signal);
    },
    refetchInterval: dashboard.refresh_interval ? dashboard.refresh_interval * 1000 : false,
    staleTime: 30_000,
  });
  const refresh = useCallback(() => {
    force.current = true;
    void result.refetch();
  }, [result]);
  return { ...result, refresh };
}
