// The cohorts routes (PostHog's shapes, /api/projects/:id/cohorts/), beside the rest of the API
// module: every request still goes through `request()`.
import { request, withQuery, type Page, type Person, type PersonsQuery, personsQueryParams } from './index';
import type { QueryJson } from './insights';

const enc = encodeURIComponent;
const base = (projectId: number | string) => `/api/projects/${enc(String(projectId))}/cohorts`;

/** A criterion group as PostHog writes it: `{type: AND|OR, values: [...]}`, nested. */
export interface CohortGroup {
  type: 'AND' | 'OR';
  values: (CohortGroup | CohortCriterion)[];
  negation?: boolean;
}

export type CohortCriterion =
  | { type: 'person'; key: string; operator: string; value?: unknown; negation?: boolean }
  | { type: 'cohort'; key: 'id'; value: number; negation?: boolean }
  | {
      type: 'behavioral';
      key: string;
      event_type: 'events';
      value: BehavioralType;
      time_value: number;
      time_interval: TimeInterval;
      operator?: 'gte' | 'lte' | 'exact';
      operator_value?: number;
      seq_time_value?: number;
      seq_time_interval?: TimeInterval;
      min_periods?: number;
      total_periods?: number;
      negation?: boolean;
    };

export type BehavioralType =
  | 'performed_event'
  | 'performed_event_multiple'
  | 'performed_event_first_time'
  | 'stopped_performing_event'
  | 'restarted_performing_event'
  | 'performed_event_regularly';

export type TimeInterval = 'hour' | 'day' | 'week' | 'month' | 'year';

export interface CohortFilters {
  properties: CohortGroup;
}

export interface Cohort {
  id: number;
  name: string;
  description: string;
  filters: CohortFilters | null;
  groups: unknown[];
  is_static: boolean;
  is_calculating: boolean;
  count: number | null;
  last_calculation: string | null;
  errors_calculating: number;
  last_error: string | null;
  created_at: string;
  cohort_type: 'static' | 'person_property' | 'behavioral';
  deleted: boolean;
}

export interface CsvReport {
  column: string;
  rows: number;
  matched: number;
  unmatched_count: number;
  unmatched: { row: number; value: string; reason: string }[];
}

export type CohortWithReport = Cohort & { csv_report?: CsvReport };

export const listCohorts = (projectId: number | string) => request<Page<Cohort>>(`${base(projectId)}/`);
export const getCohort = (projectId: number | string, id: number | string) => request<Cohort>(`${base(projectId)}/${enc(String(id))}/`);
export const createCohort = (projectId: number | string, body: { name: string; description?: string; filters?: CohortFilters; is_static?: boolean; query?: QueryJson }) =>
  request<Cohort>(`${base(projectId)}/`, { method: 'POST', body });
export const updateCohort = (projectId: number | string, id: number, body: { name?: string; description?: string; filters?: CohortFilters }) =>
  request<Cohort>(`${base(projectId)}/${id}/`, { method: 'PATCH', body });
export const deleteCohort = (projectId: number | string, id: number) => request<void>(`${base(projectId)}/${id}/`, { method: 'DELETE' });
export const recalculateCohort = (projectId: number | string, id: number) =>
  request<Cohort>(`${base(projectId)}/${id}/calculate/`, { method: 'POST', body: {} });
/** How many persons an unsaved definition holds now. */
export const estimateCohort = (projectId: number | string, filters: CohortFilters, signal?: AbortSignal) =>
  request<{ count: number }>(`${base(projectId)}/estimate/`, { method: 'POST', body: { filters }, signal });

/** A static cohort from a CSV file (new: with a name), or more members for an existing one. */
export function uploadCohortCsv(projectId: number | string, file: File, target: { name: string } | { id: number }) {
  const form = new FormData();
  if ('name' in target) {
    form.set('name', target.name);
    form.set('is_static', 'true');
  }
  form.set('csv', file);
  return 'name' in target
    ? request<CohortWithReport>(`${base(projectId)}/`, { method: 'POST', body: form })
    : request<CohortWithReport>(`${base(projectId)}/${target.id}/`, { method: 'PATCH', body: form });
}

export const listCohortPersons = (projectId: number | string, id: number | string, q: PersonsQuery, signal?: AbortSignal) =>
  request<Page<Person>>(`${base(projectId)}/${enc(String(id))}/persons/`, { query: personsQueryParams(q), signal });
export const cohortPersonsCsvUrl = (projectId: number | string, id: number | string, q: PersonsQuery) =>
  withQuery(`${base(projectId)}/${enc(String(id))}/persons/`, { format: 'csv', ...personsQueryParams({ ...q, limit: undefined, cursor: undefined }) });
