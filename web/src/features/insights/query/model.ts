// The builder's rules over the query JSON: a new query of each kind, switching kind without
// losing what carries over, reading `?q=` back, and the exact JSON that is sent and saved.
import {
  isInsightKind,
  type BreakdownFilter,
  type EventsNode,
  type FunnelsQuery,
  type InsightFilter,
  type InsightKind,
  type InsightQuery,
  type LifecycleQuery,
  type MathType,
  type PathsQuery,
  type RetentionPeriod,
  type RetentionQuery,
  type StickinessQuery,
  type TrendsDisplay,
  type TrendsQuery,
} from './types';

export const DEFAULT_EVENT = '$pageview';
export const DEFAULT_DATE_FROM = '-7d';

export function eventNode(event: string | null = DEFAULT_EVENT, math?: MathType): EventsNode {
  const node: EventsNode = { kind: 'EventsNode', event, name: event ?? 'All events' };
  if (math) node.math = math;
  return node;
}

/** A = the first series, B = the second… as formulas name them. */
export const seriesLetter = (i: number) => String.fromCharCode(65 + (i % 26));

export function seriesLabel(node: { custom_name?: string; name?: string; event?: string | null }): string {
  return node.custom_name || node.name || node.event || 'All events';
}

// --- maths ---
export interface MathOption {
  value: MathType;
  label: string;
  group: 'Events' | 'Persons' | 'Sessions' | 'Property value' | 'Events per person';
}

export const MATH_OPTIONS: MathOption[] = [
  { value: 'total', label: 'Total count', group: 'Events' },
  { value: 'dau', label: 'Unique persons', group: 'Persons' },
  { value: 'weekly_active', label: 'Weekly active persons', group: 'Persons' },
  { value: 'monthly_active', label: 'Monthly active persons', group: 'Persons' },
  { value: 'first_time_for_user', label: 'First time for a person', group: 'Persons' },
  { value: 'unique_session', label: 'Unique sessions', group: 'Sessions' },
  { value: 'sum', label: 'Sum of a property', group: 'Property value' },
  { value: 'avg', label: 'Average of a property', group: 'Property value' },
  { value: 'min', label: 'Minimum of a property', group: 'Property value' },
  { value: 'max', label: 'Maximum of a property', group: 'Property value' },
  { value: 'median', label: 'Median of a property', group: 'Property value' },
  { value: 'p75', label: '75th percentile of a property', group: 'Property value' },
  { value: 'p90', label: '90th percentile of a property', group: 'Property value' },
  { value: 'p95', label: '95th percentile of a property', group: 'Property value' },
  { value: 'p99', label: '99th percentile of a property', group: 'Property value' },
  { value: 'avg_count_per_actor', label: 'Average per person', group: 'Events per person' },
  { value: 'min_count_per_actor', label: 'Minimum per person', group: 'Events per person' },
  { value: 'max_count_per_actor', label: 'Maximum per person', group: 'Events per person' },
  { value: 'median_count_per_actor', label: 'Median per person', group: 'Events per person' },
  { value: 'p75_count_per_actor', label: '75th percentile per person', group: 'Events per person' },
  { value: 'p90_count_per_actor', label: '90th percentile per person', group: 'Events per person' },
  { value: 'p95_count_per_actor', label: '95th percentile per person', group: 'Events per person' },
  { value: 'p99_count_per_actor', label: '99th percentile per person', group: 'Events per person' },
];

const PROPERTY_MATHS = new Set<MathType>(['sum', 'avg', 'min', 'max', 'median', 'p75', 'p90', 'p95', 'p99']);
export const mathNeedsProperty = (math: MathType | undefined) => math !== undefined && PROPERTY_MATHS.has(math);
/** Maths that count persons: the drill-down lists exactly the persons counted. */
export const mathCountsPersons = (math: MathType | undefined) =>
  math === 'dau' || math === 'weekly_active' || math === 'monthly_active' || math === 'first_time_for_user';
export const mathLabel = (math: MathType | undefined) => MATH_OPTIONS.find((m) => m.value === (math ?? 'total'))?.label ?? math ?? 'Total count';

// --- displays ---
export const AGGREGATED_DISPLAYS: TrendsDisplay[] = ['BoldNumber', 'ActionsTable', 'ActionsPie', 'ActionsBarValue', 'WorldMap'];
export const isAggregated = (display: TrendsDisplay | undefined) => display !== undefined && AGGREGATED_DISPLAYS.includes(display);
export const WORLD_MAP_BREAKDOWN = '$geoip_country_code';

// --- new queries and switching kind ---
function seriesOf(from: InsightQuery | undefined): EventsNode[] {
  if (from && 'series' in from && from.series.length) return from.series.map((s) => ({ ...s }));
  if (from?.kind === 'RetentionQuery') return [eventNode(from.retentionFilter.targetEntity.id)];
  return [eventNode()];
}

/** The kind's starting query; `from` gives its events, date range and filters where they carry over. */
export function defaultQuery(kind: InsightKind, from?: InsightQuery): InsightQuery {
  const shared = {
    dateRange: from?.dateRange ? { ...from.dateRange } : { date_from: DEFAULT_DATE_FROM },
    ...(from?.properties?.length ? { properties: from.properties.map((p) => ({ ...p })) } : {}),
    ...(from?.filterTestAccounts ? { filterTestAccounts: true } : {}),
  };
  const interval = from && 'interval' in from && from.interval ? from.interval : 'day';
  const series = seriesOf(from);
  switch (kind) {
    case 'TrendsQuery':
      return {
        kind,
        series: series.map((s) => ({ ...s, math: s.math ?? 'total' })),
        interval,
        trendsFilter: { display: 'ActionsLineGraph' },
        ...shared,
      } satisfies TrendsQuery;
    case 'FunnelsQuery':
      return {
        kind,
        series: series.map(stripMath),
        funnelsFilter: { funnelOrderType: 'ordered', funnelVizType: 'steps', funnelWindowInterval: 14, funnelWindowIntervalUnit: 'day' },
        ...shared,
        dateRange: from ? shared.dateRange : { date_from: '-30d' },
      } satisfies FunnelsQuery;
    case 'RetentionQuery': {
      const first = series[0]?.event ?? DEFAULT_EVENT;
      const returning = series[1]?.event ?? first;
      return {
        kind,
        retentionFilter: {
          targetEntity: { id: first, type: 'events', name: first },
          returningEntity: { id: returning, type: 'events', name: returning },
          retentionType: 'retention_first_time',
          period: 'Day',
          totalIntervals: 8,
          display: 'ActionsTable',
        },
        ...shared,
        dateRange: { date_from: retentionDateFrom('Day', 8) },
      } satisfies RetentionQuery;
    }
    case 'PathsQuery':
      return { kind, pathsFilter: { includeEventTypes: ['$pageview'], stepLimit: 5 }, ...shared } satisfies PathsQuery;
    case 'StickinessQuery':
      return { kind, series: series.map(stripMath), interval, ...shared } satisfies StickinessQuery;
    case 'LifecycleQuery':
      return { kind, series: [stripMath(series[0])], interval, ...shared } satisfies LifecycleQuery;
  }
}

function stripMath(node: EventsNode): EventsNode {
  const { math: _math, math_property: _prop, ...rest } = node;
  return rest;
}

const PERIOD_UNIT: Record<RetentionPeriod, string> = { Hour: 'h', Day: 'd', Week: 'w', Month: 'm' };

/** The date range that shows `intervals` cohorts of `period`, the last one being now's. */
export function retentionDateFrom(period: RetentionPeriod, intervals: number): string {
  return `-${Math.max(0, intervals - 1)}${PERIOD_UNIT[period]}`;
}

// --- the URL (?q=) ---
export function encodeQuery(query: InsightQuery): string {
  return JSON.stringify(cleanQuery(query));
}

/**
 * Reads `?q=` (or a saved query) back into something the builder can edit: the JSON of one of
 * its kinds, unwrapping PostHog's InsightVizNode, with what each kind needs filled in. Anything
 * else is null, and the page starts from a default.
 */
export function decodeQuery(raw: string | null | undefined | object): InsightQuery | null {
  if (raw === null || raw === undefined || raw === '') return null;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  let q = value as Record<string, unknown>;
  if (q.kind === 'InsightVizNode' && q.source && typeof q.source === 'object') q = q.source as Record<string, unknown>;
  if (!isInsightKind(q.kind)) return null;
  const kind = q.kind;
  const base = defaultQuery(kind);
  if (kind === 'RetentionQuery') {
    const rf = (q.retentionFilter ?? {}) as Record<string, unknown>;
    const baseRf = (base as RetentionQuery).retentionFilter;
    return { ...base, ...q, retentionFilter: { ...baseRf, ...rf } } as RetentionQuery;
  }
  if (kind === 'PathsQuery') {
    return { ...base, ...q, pathsFilter: { ...(base as PathsQuery).pathsFilter, ...((q.pathsFilter ?? {}) as object) } } as PathsQuery;
  }
  const series = Array.isArray(q.series)
    ? (q.series as unknown[]).filter((s): s is EventsNode => !!s && typeof s === 'object' && (s as EventsNode).kind === 'EventsNode')
    : [];
  return { ...base, ...q, series: series.length ? series : (base as TrendsQuery).series } as InsightQuery;
}

// --- what is sent ---
const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

/** Drops keys whose value says nothing (undefined, null, '', [], {}). */
function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!isEmpty(v)) out[k] = v;
  return out as T;
}

function cleanNode(node: EventsNode, keepMath: boolean): EventsNode {
  const out: EventsNode = { kind: 'EventsNode', event: node.event ?? null };
  if (node.name) out.name = node.name;
  if (node.custom_name?.trim()) out.custom_name = node.custom_name.trim();
  if (keepMath && node.math) out.math = node.math;
  if (keepMath && mathNeedsProperty(node.math) && node.math_property) out.math_property = node.math_property;
  if (node.properties?.length) out.properties = node.properties;
  return out;
}

function cleanDateRange(range: InsightQuery['dateRange']) {
  if (!range) return undefined;
  return compact({ date_from: range.date_from ?? undefined, date_to: range.date_to ?? undefined, explicitDate: range.explicitDate || undefined });
}

/**
 * The query as it is sent, saved and put in the URL: only what the builder set, in PostHog's
 * spelling. Rules a person would otherwise trip on are applied here (a property math keeps its
 * property, a world map breaks down by country, a formula names only existing series).
 */
export function cleanQuery(query: InsightQuery): InsightQuery {
  const common = {
    dateRange: cleanDateRange(query.dateRange),
    properties: query.properties?.length ? query.properties : undefined,
    filterTestAccounts: query.filterTestAccounts || undefined,
  };
  switch (query.kind) {
    case 'TrendsQuery': {
      const tf = query.trendsFilter ?? {};
      const display = tf.display ?? 'ActionsLineGraph';
      let breakdownFilter: BreakdownFilter | undefined = query.breakdownFilter?.breakdown
        ? compact({
            breakdown: query.breakdownFilter.breakdown,
            breakdown_type: query.breakdownFilter.breakdown_type ?? 'event',
            breakdown_limit: query.breakdownFilter.breakdown_limit,
          })
        : undefined;
      if (display === 'WorldMap') breakdownFilter = { breakdown: WORLD_MAP_BREAKDOWN, breakdown_type: 'event' };
      const formula = validFormula(tf.formula, query.series.length);
      const smoothing = !isAggregated(display) && tf.smoothingIntervals && tf.smoothingIntervals > 1 ? tf.smoothingIntervals : undefined;
      return compact({
        kind: 'TrendsQuery',
        series: query.series.map((s) => cleanNode({ ...s, math: s.math ?? 'total' }, true)),
        interval: query.interval ?? 'day',
        ...common,
        breakdownFilter,
        compareFilter: query.compareFilter?.compare && !isAggregated(display) ? compact({ compare: true, compare_to: query.compareFilter.compare_to }) : undefined,
        trendsFilter: compact({ display, formula, smoothingIntervals: smoothing }),
      }) as TrendsQuery;
    }
    case 'FunnelsQuery': {
      const ff = query.funnelsFilter ?? {};
      const steps = query.series.length;
      const exclusions = (ff.exclusions ?? [])
        .filter((e) => e.event)
        .map((e) => {
          const from = clamp(e.funnelFromStep ?? 0, 0, steps - 2);
          const to = clamp(e.funnelToStep ?? steps - 1, from + 1, steps - 1);
          return { ...cleanNode(e, false), funnelFromStep: from, funnelToStep: to };
        });
      return compact({
        kind: 'FunnelsQuery',
        series: query.series.map((s) => cleanNode(s, false)),
        ...common,
        interval: ff.funnelVizType === 'trends' ? query.interval ?? 'day' : undefined,
        breakdownFilter: query.breakdownFilter?.breakdown
          ? compact({ breakdown: query.breakdownFilter.breakdown, breakdown_type: query.breakdownFilter.breakdown_type ?? 'event', breakdown_limit: query.breakdownFilter.breakdown_limit })
          : undefined,
        funnelsFilter: compact({
          funnelOrderType: ff.funnelOrderType ?? 'ordered',
          funnelVizType: ff.funnelVizType ?? 'steps',
          funnelWindowInterval: ff.funnelWindowInterval ?? 14,
          funnelWindowIntervalUnit: ff.funnelWindowIntervalUnit ?? 'day',
          exclusions,
          breakdownAttributionType: query.breakdownFilter?.breakdown ? ff.breakdownAttributionType : undefined,
          funnelFromStep: ff.funnelVizType === 'time_to_convert' ? ff.funnelFromStep : undefined,
          funnelToStep: ff.funnelVizType === 'time_to_convert' ? ff.funnelToStep : undefined,
        }),
      }) as FunnelsQuery;
    }
    case 'RetentionQuery': {
      const rf = query.retentionFilter;
      const entity = (e: RetentionQuery['retentionFilter']['targetEntity']) =>
        compact({ id: e.id, type: 'events' as const, name: e.name ?? e.id, properties: e.properties?.length ? e.properties : undefined });
      return compact({
        kind: 'RetentionQuery',
        ...common,
        retentionFilter: compact({
          targetEntity: entity(rf.targetEntity),
          returningEntity: entity(rf.returningEntity),
          retentionType: rf.retentionType ?? 'retention_first_time',
          period: rf.period ?? 'Day',
          totalIntervals: rf.totalIntervals ?? 8,
          cumulative: rf.cumulative || undefined,
          display: rf.display && rf.display !== 'ActionsTable' ? rf.display : undefined,
        }),
        breakdownFilter:
          query.breakdownFilter?.breakdown_type === 'cohort' && Array.isArray(query.breakdownFilter.breakdown) && query.breakdownFilter.breakdown.length
            ? { breakdown_type: 'cohort', breakdown: query.breakdownFilter.breakdown }
            : undefined,
      }) as RetentionQuery;
    }
    case 'PathsQuery': {
      const pf = query.pathsFilter ?? {};
      return compact({
        kind: 'PathsQuery',
        ...common,
        pathsFilter: compact({
          includeEventTypes: pf.includeEventTypes?.length ? pf.includeEventTypes : ['$pageview'],
          startPoint: pf.startPoint?.trim() || undefined,
          endPoint: pf.endPoint?.trim() || undefined,
          excludeEvents: pf.excludeEvents?.filter((e) => e.trim()),
          stepLimit: pf.stepLimit ?? 5,
          edgeLimit: pf.edgeLimit,
        }),
      }) as PathsQuery;
    }
    case 'StickinessQuery':
      return compact({
        kind: 'StickinessQuery',
        series: query.series.map((s) => cleanNode(s, false)),
        interval: query.interval ?? 'day',
        ...common,
        stickinessFilter: query.stickinessFilter?.computedAs === 'cumulative' ? { computedAs: 'cumulative' } : undefined,
      }) as StickinessQuery;
    case 'LifecycleQuery':
      return compact({
        kind: 'LifecycleQuery',
        series: query.series.slice(0, 1).map((s) => cleanNode(s, false)),
        interval: query.interval ?? 'day',
        ...common,
        lifecycleFilter: query.lifecycleFilter?.toggledLifecycles?.length && query.lifecycleFilter.toggledLifecycles.length < 4
          ? { toggledLifecycles: query.lifecycleFilter.toggledLifecycles }
          : undefined,
      }) as LifecycleQuery;
  }
}

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** A formula over existing series letters, or undefined (so a half-typed one never reaches the engine). */
export function validFormula(formula: string | undefined, seriesCount: number): string | undefined {
  const f = formula?.trim().toUpperCase();
  if (!f) return undefined;
  if (!/^[A-Z0-9+\-*/().\s]+$/.test(f)) return undefined;
  const letters = f.match(/[A-Z]/g) ?? [];
  if (!letters.length || letters.some((l) => l.charCodeAt(0) - 65 >= seriesCount)) return undefined;
  let depth = 0;
  for (const ch of f) {
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) return undefined;
  }
  if (depth !== 0 || /[+\-*/]\s*$/.test(f) || /^\s*[*/]/.test(f)) return undefined;
  return f;
}

/** Whether the query can be run as it stands, and if not, what to do in words. */
export function readiness(query: InsightQuery): string | null {
  if (query.kind === 'FunnelsQuery' && query.series.length < 2) return 'Add a second step to see how many people get from the first to the next.';
  if ((query.kind === 'TrendsQuery' || query.kind === 'StickinessQuery' || query.kind === 'LifecycleQuery') && query.series.length === 0) {
    return 'Add a series to count.';
  }
  if (query.kind === 'TrendsQuery') {
    const missing = query.series.findIndex((s) => mathNeedsProperty(s.math) && !s.math_property);
    if (missing >= 0) return `Pick the numeric property that series ${seriesLetter(missing)} adds up.`;
  }
  return null;
}

/** Filters on one of the query's series or steps, as the filter editor edits them. */
export function withSeriesFilters<T extends EventsNode>(node: T, filters: InsightFilter[]): T {
  return { ...node, properties: filters.length ? filters : undefined };
}

/** A name suggested for a new insight: "$pageview unique persons", "Funnel: sign up → invite". */
export function suggestedName(query: InsightQuery): string {
  switch (query.kind) {
    case 'TrendsQuery': {
      const parts = query.series.map((s) => `${seriesLabel(s)}${s.math && s.math !== 'total' ? ` (${mathLabel(s.math).toLowerCase()})` : ''}`);
      const by = query.breakdownFilter?.breakdown ? ` by ${query.breakdownFilter.breakdown}` : '';
      return `${parts.join(', ')}${by}`;
    }
    case 'FunnelsQuery':
      return `Funnel: ${query.series.map(seriesLabel).join(' → ')}`;
    case 'RetentionQuery':
      return `Retention: ${query.retentionFilter.targetEntity.id} then ${query.retentionFilter.returningEntity.id}`;
    case 'PathsQuery':
      return query.pathsFilter.startPoint ? `Paths from ${query.pathsFilter.startPoint}` : 'Paths';
    case 'StickinessQuery':
      return `Stickiness of ${query.series.map(seriesLabel).join(', ')}`;
    case 'LifecycleQuery':
      return `Lifecycle of ${seriesLabel(query.series[0] ?? {})}`;
  }
}
