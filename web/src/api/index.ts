// The one module that talks to the server. Every route of the web app contract has a typed
// function here; pages reach them through TanStack Query hooks in their feature folders.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Properties = Record<string, Json>;

export type PropertyType = 'event' | 'person';
/** What a filter can be on: insights also filter on session properties (computed from the session's events). */
export type FilterType = PropertyType | 'session' | 'cohort';
export type Operator =
  | 'exact'
  | 'is_not'
  | 'icontains'
  | 'not_icontains'
  | 'regex'
  | 'not_regex'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'is_set'
  | 'is_not_set'
  | 'is_date_before'
  | 'is_date_after'
  | 'between'
  | 'not_between'
  /** cohort filters: the person is (not) a member */
  | 'in'
  | 'not_in';

export interface PropertyFilter {
  key: string;
  value?: Json;
  operator: Operator;
  type: FilterType;
}

export interface Team {
  id: number;
  name: string;
  api_token: string;
  timezone: string;
}

export interface User {
  id: number;
  uuid: string;
  email: string;
  first_name: string;
  role: 'admin' | 'member';
  csrf_token?: string;
  organization: { id: number | string; name: string };
  team: Team | null;
}

export interface Project {
  id: number;
  uuid?: string;
  name: string;
  api_token: string;
  timezone: string;
  organization: number | string;
  created_at: string;
  test_account_filters: PropertyFilter[];
  anonymize_ips: boolean;
  has_events: boolean;
  /** Whether any person is identified: a project of anonymous traffic only opens on web analytics. */
  has_identified_persons?: boolean;
}

/** Where a person property came from, for automatic copies of event facts; custom keys have none. */
export type PropertySource = 'initial' | 'latest';

export interface Person {
  id: number | string;
  uuid: string;
  name: string;
  distinct_ids: string[];
  properties: Properties;
  created_at: string;
  is_identified: boolean;
  property_sources?: Record<string, PropertySource>;
}

export interface SightlineEvent {
  id: string;
  uuid: string;
  distinct_id: string;
  event: string;
  timestamp: string;
  created_at: string;
  properties: Properties;
  person_id: string | null;
  person_properties: Properties;
}

export interface Page<T> {
  next: string | null;
  results: T[];
}

export interface SessionGroup {
  session_id: string | null;
  events: string[];
}

export interface TimelinePage extends Page<SightlineEvent> {
  sessions: SessionGroup[];
}

export interface Merge {
  kind: string;
  source_person_id: string | number | null;
  target_person_id: string | number | null;
  distinct_ids: string[];
  event_uuid: string | null;
  rule: string | null;
  at: string;
}

export interface Member {
  id: string | number;
  user: { id: number; uuid: string; email: string; first_name: string };
  role: 'admin' | 'member';
  joined_at: string;
}

export interface Invite {
  id: string | number;
  target_email: string;
  role: 'admin' | 'member';
  created_at?: string;
  expires_at?: string;
  accept_url: string;
}

export interface PersonalApiKey {
  id: string | number;
  label: string;
  mask_value: string;
  created_at: string;
  last_used_at: string | null;
  value?: string;
}

export interface EventDefinition {
  name: string;
  volume_30_day: number | null;
  last_seen_at: string | null;
}

export type DefinitionType = 'String' | 'Numeric' | 'Boolean' | 'DateTime';

export interface PropertyDefinition {
  name: string;
  property_type: DefinitionType | null;
  is_numerical: boolean;
}

export interface PropertyValue {
  name: Json;
  count: number;
}

export interface DemoStatus {
  project: Project | null;
  status: 'none' | 'running' | 'done' | 'failed';
  progress: number;
  events: number;
}

/** The server's error body, kept whole so pages can show `detail` and mark the field `attr`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly attr: string | null;

  constructor(status: number, code: string, detail: string, attr: string | null = null) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.attr = attr;
  }
}

/** Turns whatever the server answered into an ApiError with words a person can read. */
export function parseError(status: number, body: unknown, statusText = ''): ApiError {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const detail = typeof b.detail === 'string' ? b.detail : undefined;
    const code = typeof b.code === 'string' ? b.code : `http_${status}`;
    const attr = typeof b.attr === 'string' ? b.attr : null;
    if (detail) return new ApiError(status, code, detail, attr);
  }
  if (typeof body === 'string' && body.trim() && body.length < 300 && !body.trimStart().startsWith('<')) {
    return new ApiError(status, `http_${status}`, body.trim());
  }
  const words =
    status === 0
      ? 'The server could not be reached. Is Sightline running?'
      : `The server answered ${status}${statusText ? ` ${statusText}` : ''}.`;
  return new ApiError(status, `http_${status}`, words);
}

export function readCookie(name: string, cookies: string = typeof document === 'undefined' ? '' : document.cookie) {
  for (const part of cookies.split(';')) {
    const [k, ...rest] = part.trim().split('=');
    if (k === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

let csrfFallback: string | null = null;
/** The token from `/api/users/@me/` or login, used when the cookie is not readable. */
export function rememberCsrfToken(token: string | undefined | null) {
  if (token) csrfFallback = token;
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler = () => {
  if (!window.location.pathname.startsWith('/login')) {
    const next = window.location.pathname + window.location.search;
    window.location.assign(`/login?next=${encodeURIComponent(next)}`);
  }
};
/** The app installs a router-aware handler; the default reloads onto /login. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler) {
  onUnauthorized = handler;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
  signal?: AbortSignal;
  /** Routes whose 401 means "wrong password", not "signed out". */
  allowUnauthorized?: boolean;
}

export function withQuery(path: string, query?: RequestOptions['query']) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

/** What came back, read whole, so that an answer can be handed to whoever asks for it. */
interface Answer {
  status: number;
  statusText: string;
  contentType: string;
  text: string;
}

async function send(url: string, init: RequestInit): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw parseError(0, null);
  }
  const text = response.status === 204 ? '' : await response.text();
  return { status: response.status, statusText: response.statusText, contentType: response.headers.get('Content-Type') ?? '', text };
}

// --- answers asked for before the app drew (early.ts) ---
// The early start asks for the page's data while the app's code is still loading; the app's first
// request for the same URL takes that answer instead of asking again. An answer not taken soon is
// dropped: later visits ask afresh.
const EARLY_MS = 15_000;
const early = new Map<string, { answer: Promise<Answer>; at: number; fromPage?: boolean }>();
let collecting = false;

/**
 * The server answers the app's first questions inside the page itself (`#sightline-boot`: the
 * set-up status and, signed in, the user, and for some pages their first data; api/PageAnswers.java):
 * they are kept here as if asked early, so none costs a round trip. Each serves the first ask only.
 */
export function takeBootAnswers(doc: { getElementById(id: string): { textContent: string | null } | null } | undefined) {
  const element = doc?.getElementById('sightline-boot');
  if (!element?.textContent) return;
  let boot: { setup?: unknown; me?: unknown; answers?: Record<string, unknown> };
  try {
    boot = JSON.parse(element.textContent);
  } catch {
    return; // the app asks for itself
  }
  element.textContent = '';
  const keep = (url: string, value: unknown) =>
    early.set(url, { answer: Promise.resolve({ status: 200, statusText: 'OK', contentType: 'application/json', text: JSON.stringify(value) }), at: Date.now(), fromPage: true });
  if (boot.setup) keep('/api/setup/', boot.setup);
  if (boot.me) keep('/api/users/@me/', boot.me);
  // the page's own first answers (the projects, the project, a dashboard), under the URLs the app asks
  for (const [url, value] of Object.entries(boot.answers ?? {})) keep(url, value);
}

/** Runs `start`, whose GET requests are kept for the app to take (see above); returns what `start` returns. */
export function startEarly<T>(start: () => T): T {
  collecting = true;
  try {
    return start();
  } finally {
    collecting = false;
  }
}

function takeEarly(url: string): Promise<Answer> | undefined {
  const kept = early.get(url);
  if (!kept) return undefined;
  early.delete(url);
  return Date.now() - kept.at < EARLY_MS ? kept.answer : undefined;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  // a form (a file upload) sets its own multipart content type with the boundary
  const form = typeof FormData !== 'undefined' && options.body instanceof FormData;
  if (options.body !== undefined && !form) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    const token = readCookie('sightline_csrf') ?? csrfFallback;
    if (token) headers['X-CSRFToken'] = token;
  }
  const url = withQuery(path, options.query);
  const init: RequestInit = {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? undefined : form ? (options.body as FormData) : JSON.stringify(options.body),
  };
  const isEarly = collecting && method === 'GET';
  let pending: Promise<Answer>;
  const kept = isEarly ? early.get(url) : undefined;
  if (kept?.fromPage && Date.now() - kept.at < EARLY_MS) {
    // already here (the page's boot answers): the app takes it later all the same
    pending = kept.answer;
  } else if (isEarly) {
    // no abort signal: the answer is for whoever asks next
    pending = send(url, init);
    early.set(url, { answer: pending, at: Date.now() });
  } else {
    pending = (method === 'GET' && takeEarly(url)) || send(url, { ...init, signal: options.signal });
  }
  const answer = await pending;
  let body: unknown = answer.text;
  if (answer.text && answer.contentType.includes('json')) {
    try {
      body = JSON.parse(answer.text);
    } catch {
      body = answer.text;
    }
  }
  if (answer.status < 200 || answer.status >= 300) {
    const error = parseError(answer.status, body, answer.statusText);
    // an early request leaves a 401 to the app, which knows where to send the person
    if (answer.status === 401 && !options.allowUnauthorized && !isEarly) onUnauthorized();
    throw error;
  }
  return (answer.text ? body : undefined) as T;
}

/** The `cursor` parameter of a `next` URL, which is how every list pages. */
export function cursorOf(next: string | null | undefined): string | undefined {
  if (!next) return undefined;
  try {
    return new URL(next, 'http://x').searchParams.get('cursor') ?? undefined;
  } catch {
    return undefined;
  }
}

const enc = encodeURIComponent;
const project = (id: number | string) => `/api/projects/${enc(String(id))}`;
const filtersParam = (filters?: PropertyFilter[]) => (filters && filters.length ? JSON.stringify(filters) : undefined);

// --- set-up and sign-in ---
/** Public: whether the set-up page is needed, and whether this browser is signed in (so nothing need ask and be refused). */
export interface SetupStatus {
  needs_setup: boolean;
  signed_in: boolean;
}
export const getSetup = () => request<SetupStatus>('/api/setup/', { allowUnauthorized: true });
export const postSetup = (body: {
  setup_code: string;
  email: string;
  password: string;
  first_name: string;
  organization_name: string;
}) => request<User>('/api/setup/', { method: 'POST', body, allowUnauthorized: true });
export const login = (body: { email: string; password: string }) =>
  request<User>('/api/login/', { method: 'POST', body, allowUnauthorized: true });
export const logout = () => request<void>('/api/logout/', { method: 'POST', allowUnauthorized: true });
export const getMe = () => request<User>('/api/users/@me/', { allowUnauthorized: true });
export const getInvite = (token: string) =>
  request<{ email: string; organization_name: string; role: string }>(`/api/invites/${enc(token)}/`, {
    allowUnauthorized: true,
  });
export const acceptInvite = (token: string, body: { password: string; first_name: string }) =>
  request<User>(`/api/invites/${enc(token)}/accept/`, { method: 'POST', body, allowUnauthorized: true });

// --- organization ---
export const getOrganization = () => request<{ id: number | string; name: string }>('/api/organizations/@current/');
export const listMembers = () => request<{ results: Member[] }>('/api/organizations/@current/members/');
export const listInvites = () => request<{ results: Invite[] }>('/api/organizations/@current/invites/');
export const createInvite = (body: { target_email: string; role: 'admin' | 'member' }) =>
  request<Invite>('/api/organizations/@current/invites/', { method: 'POST', body });
export const deleteInvite = (id: string | number) =>
  request<void>(`/api/organizations/@current/invites/${enc(String(id))}/`, { method: 'DELETE' });

// --- projects ---
export const listProjects = () => request<Page<Project>>('/api/projects/');
export const createProject = (body: { name: string; timezone?: string }) =>
  request<Project>('/api/projects/', { method: 'POST', body });
export const getProject = (id: number | string) => request<Project>(`${project(id)}/`);
export const updateProject = (
  id: number | string,
  body: Partial<Pick<Project, 'name' | 'timezone' | 'test_account_filters' | 'anonymize_ips'>>,
) => request<Project>(`${project(id)}/`, { method: 'PATCH', body });
export const sendTestEvent = (id: number | string) =>
  request<{ uuid: string; event: string; distinct_id: string }>(`${project(id)}/test_event/`, { method: 'POST' });
export const startDemo = () => request<{ project: Project }>('/api/projects/demo/', { method: 'POST' });
export const getDemo = () => request<DemoStatus>('/api/projects/demo/');

// --- personal API keys ---
export const listApiKeys = () => request<{ results: PersonalApiKey[] }>('/api/personal_api_keys/');
export const createApiKey = (label: string) =>
  request<PersonalApiKey>('/api/personal_api_keys/', { method: 'POST', body: { label } });
export const deleteApiKey = (id: string | number) =>
  request<void>(`/api/personal_api_keys/${enc(String(id))}/`, { method: 'DELETE' });

// --- persons ---
export interface PersonsQuery {
  search?: string;
  properties?: PropertyFilter[];
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}
export const personsQueryParams = (q: PersonsQuery) => ({
  search: q.search?.trim() || undefined,
  properties: filtersParam(q.properties),
  order: q.order,
  limit: q.limit,
  cursor: q.cursor,
});
export const listPersons = (projectId: number | string, q: PersonsQuery, signal?: AbortSignal) =>
  request<Page<Person>>(`${project(projectId)}/persons/`, { query: personsQueryParams(q), signal });
/** A plain link the browser downloads: the same filters, every matching person. */
export const personsCsvUrl = (projectId: number | string, q: PersonsQuery) =>
  withQuery(`${project(projectId)}/persons/`, { format: 'csv', ...personsQueryParams({ ...q, limit: undefined, cursor: undefined }) });
export const getPerson = (projectId: number | string, uuid: string) =>
  request<Person>(`${project(projectId)}/persons/${enc(uuid)}/`);
export const updatePersonProperty = (projectId: number | string, uuid: string, key: string, value: Json) =>
  request<unknown>(`${project(projectId)}/persons/${enc(uuid)}/update_property/`, {
    method: 'POST',
    body: { key, value },
  });
export const deletePersonProperty = (projectId: number | string, uuid: string, key: string) =>
  request<unknown>(`${project(projectId)}/persons/${enc(uuid)}/delete_property/`, {
    method: 'POST',
    body: { $unset: key },
  });
export const deletePerson = (projectId: number | string, uuid: string, deleteEvents: boolean) =>
  request<void>(`${project(projectId)}/persons/${enc(uuid)}/`, {
    method: 'DELETE',
    query: { delete_events: deleteEvents },
  });
export const listMerges = (projectId: number | string, uuid: string) =>
  request<{ results: Merge[] }>(`${project(projectId)}/persons/${enc(uuid)}/merges/`);
export const splitPerson = (projectId: number | string, uuid: string, mainDistinctId: string) =>
  request<{ success: boolean; persons: string[] }>(`${project(projectId)}/persons/${enc(uuid)}/split/`, {
    method: 'POST',
    body: { main_distinct_id: mainDistinctId },
  });
export const getTimeline = (
  projectId: number | string,
  uuid: string,
  q: { limit?: number; cursor?: string; direction?: 'asc' | 'desc'; after?: string },
  signal?: AbortSignal,
) => request<TimelinePage>(`${project(projectId)}/persons/${enc(uuid)}/timeline/`, { query: { ...q }, signal });

// --- events ---
export interface EventsQuery {
  event?: string;
  distinct_id?: string;
  person_id?: string;
  properties?: PropertyFilter[];
  after?: string;
  before?: string;
  limit?: number;
  cursor?: string;
}
export const listEvents = (projectId: number | string, q: EventsQuery, signal?: AbortSignal) =>
  request<Page<SightlineEvent>>(`${project(projectId)}/events/`, {
    query: { ...q, properties: filtersParam(q.properties) },
    signal,
  });
export const getEvent = (projectId: number | string, uuid: string) =>
  request<SightlineEvent>(`${project(projectId)}/events/${enc(uuid)}/`);

// --- definitions ---
export const listEventDefinitions = (projectId: number | string, search?: string) =>
  request<{ results: EventDefinition[] }>(`${project(projectId)}/event_definitions/`, { query: { search } });
export const listPropertyDefinitions = (
  projectId: number | string,
  type: PropertyType,
  search?: string,
  eventNames?: string[],
) =>
  request<{ results: PropertyDefinition[] }>(`${project(projectId)}/property_definitions/`, {
    query: { type, search, event_names: eventNames && eventNames.length ? JSON.stringify(eventNames) : undefined },
  });
export const listPropertyValues = (projectId: number | string, type: PropertyType, key: string, prefix?: string) =>
  request<PropertyValue[]>(`${project(projectId)}/property_values/`, { query: { type, key, value: prefix } });

// --- usage and billing ---
export type UsageKind = 'identified' | 'anonymous' | 'not_billed' | 'dropped_identified' | 'dropped_anonymous' | 'could_be_anonymous';
export type UsageCounts = Record<UsageKind, number>;
export interface Money {
  identified: number;
  anonymous: number;
  total: number;
}
export interface UsageEstimate {
  counts: { identified: number; anonymous: number; could_be_anonymous: number };
  cost: Money;
  saving?: number;
}
export interface BillingLimitState {
  kind: 'identified' | 'anonymous';
  limit: number | null;
  used: number;
  share: number | null;
  state: 'none' | 'ok' | 'warning' | 'reached';
  dropped: number;
}
export interface UsageWarning {
  kind: 'identified' | 'anonymous';
  state: 'warning' | 'reached';
  message: string;
}
export interface PriceTier {
  up_to: number | null;
  price: string;
}
export interface PriceTables {
  anonymous: { free_events: number; tiers: PriceTier[] };
  identified: { free_events: number; tiers: PriceTier[] };
}
export interface ProjectUsage {
  project_id: number;
  month: string;
  complete: boolean;
  currency: 'USD';
  counts: UsageCounts;
  daily: ({ date: string } & UsageCounts)[];
  top_events: Partial<Record<UsageKind, { event: string; count: number }[]>>;
  libraries: ({ lib: string } & UsageCounts)[];
  daily_rate: { identified: number; anonymous: number };
  cost: Money;
  projected: UsageEstimate;
  identified_only: UsageEstimate;
  projected_identified_only: UsageEstimate;
  limits: BillingLimitState[];
  warnings: UsageWarning[];
  organization_counts: { identified: number; anonymous: number };
  prices: PriceTables;
}
export const getUsage = (projectId: number | string, month?: string) =>
  request<ProjectUsage>(`${project(projectId)}/usage/`, { query: { month } });
export const updateBillingLimits = (projectId: number | string, body: { identified?: number | null; anonymous?: number | null }) =>
  request<{ month: string; limits: BillingLimitState[]; warnings: UsageWarning[] }>(`${project(projectId)}/billing_limits/`, {
    method: 'PATCH',
    body,
  });
