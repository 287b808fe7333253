// The query JSON the builder edits, in PostHog's shapes (shared/spec/posthog-queries.md). The
// builder's state is this value: what the URL holds, what is saved, what is sent.
import type { PropertyFilter } from '../../../api';

export type InsightKind = 'TrendsQuery' | 'FunnelsQuery' | 'RetentionQuery' | 'PathsQuery' | 'StickinessQuery' | 'LifecycleQuery';
export const INSIGHT_KINDS: InsightKind[] = ['TrendsQuery', 'FunnelsQuery', 'RetentionQuery', 'PathsQuery', 'StickinessQuery', 'LifecycleQuery'];

/** A property filter of an insight: event, person or session (the shared editor's). */
export type InsightFilter = PropertyFilter;

export type Interval = 'hour' | 'day' | 'week' | 'month';

export type MathType =
  | 'total'
  | 'dau'
  | 'weekly_active'
  | 'monthly_active'
  | 'unique_session'
  | 'first_time_for_user'
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'median'
  | 'p75'
  | 'p90'
  | 'p95'
  | 'p99'
  | 'avg_count_per_actor'
  | 'min_count_per_actor'
  | 'max_count_per_actor'
  | 'median_count_per_actor'
  | 'p75_count_per_actor'
  | 'p90_count_per_actor'
  | 'p95_count_per_actor'
  | 'p99_count_per_actor';

export interface EventsNode {
  kind: 'EventsNode';
  /** null: all events. */
  event: string | null;
  name?: string;
  custom_name?: string;
  math?: MathType;
  math_property?: string;
  properties?: InsightFilter[];
}

export interface DateRange {
  date_from?: string | null;
  date_to?: string | null;
  explicitDate?: boolean;
}

export type BreakdownType = 'event' | 'person' | 'session' | 'cohort';

export interface BreakdownFilter {
  /** a property name; for a cohort breakdown, the cohort ids (and "all") */
  breakdown?: string | (number | 'all')[] | null;
  breakdown_type?: BreakdownType | null;
  breakdown_limit?: number;
}

export type TrendsDisplay =
  | 'ActionsLineGraph'
  | 'ActionsLineGraphCumulative'
  | 'ActionsUnstackedBar'
  | 'ActionsBar'
  | 'ActionsAreaGraph'
  | 'BoldNumber'
  | 'ActionsTable'
  | 'ActionsPie'
  | 'ActionsBarValue'
  | 'WorldMap';

interface Common {
  dateRange?: DateRange;
  properties?: InsightFilter[];
  filterTestAccounts?: boolean;
}

export interface TrendsQuery extends Common {
  kind: 'TrendsQuery';
  series: EventsNode[];
  interval?: Interval;
  breakdownFilter?: BreakdownFilter;
  compareFilter?: { compare?: boolean; compare_to?: string };
  trendsFilter?: {
    display?: TrendsDisplay;
    formula?: string;
    smoothingIntervals?: number;
  };
}

export type FunnelOrder = 'ordered' | 'strict' | 'unordered';
export type FunnelViz = 'steps' | 'time_to_convert' | 'trends';
export type WindowUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month';

export interface FunnelExclusion extends EventsNode {
  funnelFromStep: number;
  funnelToStep: number;
}

export interface FunnelsQuery extends Common {
  kind: 'FunnelsQuery';
  series: EventsNode[];
  interval?: Interval;
  breakdownFilter?: BreakdownFilter;
  funnelsFilter?: {
    funnelOrderType?: FunnelOrder;
    funnelVizType?: FunnelViz;
    funnelWindowInterval?: number;
    funnelWindowIntervalUnit?: WindowUnit;
    exclusions?: FunnelExclusion[];
    breakdownAttributionType?: 'first_touch' | 'last_touch' | 'all_events';
    funnelFromStep?: number;
    funnelToStep?: number;
    binCount?: number;
  };
}

export type RetentionPeriod = 'Hour' | 'Day' | 'Week' | 'Month';

export interface RetentionEntity {
  id: string;
  type: 'events';
  name?: string;
  properties?: InsightFilter[];
}

export interface RetentionQuery extends Common {
  kind: 'RetentionQuery';
  retentionFilter: {
    targetEntity: RetentionEntity;
    returningEntity: RetentionEntity;
    retentionType: 'retention_first_time' | 'retention_recurring';
    period: RetentionPeriod;
    totalIntervals: number;
    cumulative?: boolean;
    /** How the builder shows it: the grid or the curve (PostHog keeps this in the filter too). */
    display?: 'ActionsTable' | 'ActionsLineGraph';
  };
  /** Cohorts side by side: one grid (or curve) per cohort. */
  breakdownFilter?: BreakdownFilter;
}

export type PathEventType = '$pageview' | '$screen' | 'custom_event';

export interface PathsQuery extends Common {
  kind: 'PathsQuery';
  pathsFilter: {
    includeEventTypes?: PathEventType[];
    startPoint?: string;
    endPoint?: string;
    excludeEvents?: string[];
    stepLimit?: number;
    edgeLimit?: number;
  };
}

export interface StickinessQuery extends Common {
  kind: 'StickinessQuery';
  series: EventsNode[];
  interval?: Interval;
  stickinessFilter?: { computedAs?: 'non_cumulative' | 'cumulative' };
}

export type LifecycleStatus = 'new' | 'returning' | 'resurrecting' | 'dormant';
export const LIFECYCLE_STATUSES: LifecycleStatus[] = ['new', 'returning', 'resurrecting', 'dormant'];

export interface LifecycleQuery extends Common {
  kind: 'LifecycleQuery';
  series: EventsNode[];
  interval?: Interval;
  lifecycleFilter?: { toggledLifecycles?: LifecycleStatus[] };
}

export type InsightQuery = TrendsQuery | FunnelsQuery | RetentionQuery | PathsQuery | StickinessQuery | LifecycleQuery;

export const KIND_LABELS: Record<InsightKind, string> = {
  TrendsQuery: 'Trends',
  FunnelsQuery: 'Funnel',
  RetentionQuery: 'Retention',
  PathsQuery: 'Paths',
  StickinessQuery: 'Stickiness',
  LifecycleQuery: 'Lifecycle',
};

export const KIND_WORDS: Record<InsightKind, string> = {
  TrendsQuery: 'How many, over time',
  FunnelsQuery: 'Which step do people drop at',
  RetentionQuery: 'Do they come back',
  PathsQuery: 'Where do they go next',
  StickinessQuery: 'How many days are they active',
  LifecycleQuery: 'New, returning, resurrecting, dormant',
};

export function isInsightKind(kind: unknown): kind is InsightKind {
  return typeof kind === 'string' && (INSIGHT_KINDS as string[]).includes(kind);
}

export const hasSeries = (q: InsightQuery): q is TrendsQuery | FunnelsQuery | StickinessQuery | LifecycleQuery =>
  q.kind === 'TrendsQuery' || q.kind === 'FunnelsQuery' || q.kind === 'StickinessQuery' || q.kind === 'LifecycleQuery';
