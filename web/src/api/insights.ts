// The routes of insights, dashboards and the query engine (/work/contract-insights.md), beside
// the rest of the API module: every request still goes through `request()`.
import { ApiError, request, type Json, type PropertyFilter } from './index';

const enc = encodeURIComponent;
const project = (id: number | string) => `/api/projects/${enc(String(id))}`;

/** A query JSON as PostHog writes it; the insight builder knows the kinds it edits (features/insights/query). */
export type QueryJson = { kind: string } & Record<string, unknown>;

/** What POST /query/ answers: the kind's `results` and the cache envelope around them. */
export interface QueryResponse {
  results: unknown;
  is_cached?: boolean;
  last_refresh?: string | null;
  next_allowed_client_refresh?: string | null;
  cache_key?: string;
  timezone?: string;
  hasMore?: boolean;
  limit?: number;
  offset?: number;
  columns?: string[];
  [key: string]: unknown;
}

export interface UserBasic {
  id: number;
  email: string;
  first_name: string;
}

export interface Insight {
  id: number;
  short_id: string;
  name: string;
  description: string;
  tags: string[];
  favorited: boolean;
  query: QueryJson;
  dashboards: number[];
  created_at: string;
  created_by: UserBasic | null;
  last_modified_at: string;
  last_modified_by: UserBasic | null;
  deleted: boolean;
  saved: boolean;
  result: unknown;
  last_refresh: string | null;
  is_cached: boolean;
  response: QueryResponse | null;
  /** On a dashboard tile: a newer answer is being computed behind this kept one. */
  refreshing?: boolean;
}

export interface InsightFields {
  name?: string;
  description?: string;
  tags?: string[];
  favorited?: boolean;
  query?: QueryJson;
  dashboards?: number[];
  deleted?: boolean;
}

export interface TileLayout {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface DashboardTile {
  id: number;
  layouts: { sm?: TileLayout } & Record<string, TileLayout | undefined>;
  color: string | null;
  text: { body: string } | null;
  insight: Insight | null;
}

export interface DashboardFilters {
  date_from?: string | null;
  date_to?: string | null;
  properties?: PropertyFilter[];
}

export interface Dashboard {
  id: number;
  name: string;
  description: string;
  pinned: boolean;
  tags: string[];
  filters: DashboardFilters;
  refresh_interval: number | null;
  created_at: string;
  created_by: UserBasic | null;
  deleted: boolean;
  tile_count: number;
  tiles?: DashboardTile[];
}

/** A tile change in PATCH dashboards: move/resize, recolour, edit or delete by id; a new text tile without one. */
export type TilePatch =
  | { id: number; layouts?: Record<string, TileLayout>; color?: string | null; text?: { body: string }; deleted?: boolean }
  | { text: { body: string }; layouts?: Record<string, TileLayout> };

export interface DashboardFields {
  name?: string;
  description?: string;
  pinned?: boolean;
  tags?: string[];
  filters?: DashboardFilters;
  refresh_interval?: number | null;
  deleted?: boolean;
  tiles?: TilePatch[];
}

export interface ListPage<T> {
  count: number;
  next: string | null;
  previous?: string | null;
  results: T[];
}

// --- the query engine ---
export const runQuery = (projectId: number | string, query: QueryJson | Json, options: { refresh?: boolean; signal?: AbortSignal } = {}) =>
  request<QueryResponse>(`${project(projectId)}/query/`, {
    method: 'POST',
    body: { query, refresh: options.refresh ?? false },
    signal: options.signal,
  });

// --- saved insights ---
export const listInsights = (
  projectId: number | string,
  q: { search?: string; favorited?: boolean; limit?: number; offset?: number } = {},
  signal?: AbortSignal,
) =>
  request<ListPage<Insight>>(`${project(projectId)}/insights/`, {
    query: { search: q.search?.trim() || undefined, favorited: q.favorited || undefined, limit: q.limit, offset: q.offset },
    signal,
  });
/** A saved insight by its short id, without computing it (the list answers by short_id). */
export const findInsight = async (projectId: number | string, shortId: string, signal?: AbortSignal): Promise<Insight> => {
  const page = await request<ListPage<Insight>>(`${project(projectId)}/insights/`, { query: { short_id: shortId }, signal });
  if (!page.results.length) throw new ApiError(404, 'not_found', 'There is no saved insight with this link: it may have been deleted.');
  return page.results[0];
};
/** By numeric id or short id; `from_dashboard` computes it with that dashboard's filters. */
export const getInsight = (
  projectId: number | string,
  id: number | string,
  q: { refresh?: boolean; from_dashboard?: number | string } = {},
  signal?: AbortSignal,
) => request<Insight>(`${project(projectId)}/insights/${enc(String(id))}/`, { query: { refresh: q.refresh || undefined, from_dashboard: q.from_dashboard }, signal });
export const createInsight = (projectId: number | string, body: InsightFields & { query: QueryJson }) =>
  request<Insight>(`${project(projectId)}/insights/`, { method: 'POST', body });
export const updateInsight = (projectId: number | string, id: number, body: InsightFields) =>
  request<Insight>(`${project(projectId)}/insights/${id}/`, { method: 'PATCH', body });
export const deleteInsight = (projectId: number | string, id: number) =>
  request<void>(`${project(projectId)}/insights/${id}/`, { method: 'DELETE' });

// --- dashboards ---
export const listDashboards = (projectId: number | string) => request<ListPage<Dashboard>>(`${project(projectId)}/dashboards/`);
export const getDashboard = (projectId: number | string, id: number | string) =>
  request<Dashboard>(`${project(projectId)}/dashboards/${enc(String(id))}/`);
export const createDashboard = (projectId: number | string, body: DashboardFields & { name: string; use_dashboard?: number }) =>
  request<Dashboard>(`${project(projectId)}/dashboards/`, { method: 'POST', body });
export const updateDashboard = (projectId: number | string, id: number, body: DashboardFields) =>
  request<Dashboard>(`${project(projectId)}/dashboards/${id}/`, { method: 'PATCH', body });
export const deleteDashboard = (projectId: number | string, id: number) =>
  request<void>(`${project(projectId)}/dashboards/${id}/`, { method: 'DELETE' });
