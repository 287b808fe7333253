// One dashboard's query, apart from the page's other queries so the start-up (boot.ts) can fill it
// without pulling in the page's code.
import { getDashboard } from '../../api/insights';

export const dashboardKey = (projectId: string | number, id: string | number) => ['dashboard', String(projectId), String(id)] as const;

/** Fresh for 10 s: the answer the start-up fetched is drawn, not asked for again as the page mounts. */
export const dashboardOptions = (projectId: string | number, id: string | number) => ({
  queryKey: dashboardKey(projectId, id),
  queryFn: () => getDashboard(projectId, id),
  staleTime: 10_000,
});
