// Which persons stand behind a point of a chart: the click becomes a DrillTarget, and the target
// becomes an ActorsQuery whose source is the insight itself (docs/queries.md, "ActorsQuery").
import type { QueryJson } from '../../../api/insights';
import { cleanQuery } from '../query/model';
import type { FunnelsQuery, InsightQuery, LifecycleStatus, TrendsQuery } from '../query/types';

export type BreakdownValue = string | number | (string | number)[];

interface Described {
  /** Words for the drawer's title: "$pageview on Dec 3 · Chrome". */
  label: string;
  /** The number on the chart, shown beside the list. */
  value: number;
}

export type DrillTarget = Described &
  (
    | {
        kind: 'trends';
        series: number;
        /** The bucket as the engine wrote it; null for one number over the whole range (resolved before asking). */
        day: string | null;
        breakdown?: BreakdownValue | null;
        /** A previous-period point: the range it belongs to, so the engine sees the bucket in range. */
        previousRange?: { date_from: string; date_to: string };
        /** Whether the number counts persons (then the list is exactly that many). */
        persons: boolean;
      }
    | { kind: 'funnel'; step: number; dropOff: boolean; breakdown?: BreakdownValue | null }
    | { kind: 'retention'; cohort: number; period?: number; breakdown?: BreakdownValue | null }
    | { kind: 'lifecycle'; day: string; status: LifecycleStatus }
    | { kind: 'stickiness'; series: number; intervals: number }
  );

/** The ActorsQuery for a target, one page of it. */
export function actorsQuery(query: InsightQuery, target: DrillTarget, page: { limit: number; offset: number }): QueryJson {
  return { kind: 'ActorsQuery', source: actorsSource(query, target), limit: page.limit, offset: page.offset };
}

export function actorsSource(query: InsightQuery, target: DrillTarget): QueryJson {
  const insight = cleanQuery(query);
  switch (target.kind) {
    case 'trends': {
      if (insight.kind !== 'TrendsQuery') throw new Error('a trends point needs a trends query');
      if (target.day === null) throw new Error('the bucket of an aggregated number is resolved first');
      let source: TrendsQuery = insight;
      if (target.previousRange) {
        // the engine lists a bucket of the query's own range: ask the previous period as a range of its own
        const { compareFilter: _c, ...rest } = insight;
        source = { ...rest, dateRange: { ...target.previousRange } };
      }
      return {
        kind: 'InsightActorsQuery',
        source,
        day: target.day,
        series: target.series,
        ...(target.breakdown !== undefined && target.breakdown !== null ? { breakdown: target.breakdown } : {}),
      };
    }
    case 'funnel': {
      if (insight.kind !== 'FunnelsQuery') throw new Error('a funnel step needs a funnel query');
      const source: FunnelsQuery = { ...insight, funnelsFilter: { ...insight.funnelsFilter, funnelVizType: 'steps' } };
      return {
        kind: 'FunnelsActorsQuery',
        source,
        funnelStep: target.dropOff ? -target.step : target.step,
        ...(target.breakdown !== undefined && target.breakdown !== null ? { funnelStepBreakdown: target.breakdown } : {}),
      };
    }
    case 'retention':
      return {
        kind: 'InsightActorsQuery',
        source: insight,
        interval: target.cohort,
        ...(target.period !== undefined && target.period > 0 ? { returnPeriod: target.period } : {}),
        ...(target.breakdown !== undefined && target.breakdown !== null ? { breakdown: target.breakdown } : {}),
      };
    case 'lifecycle':
      return { kind: 'InsightActorsQuery', source: insight, day: target.day, status: target.status };
    case 'stickiness':
      return { kind: 'InsightActorsQuery', source: insight, day: target.intervals, series: target.series };
  }
}

/**
 * A query whose only job is to name the buckets of the insight's range (an event nobody sends,
 * so it reads nothing): one number over the whole range is opened at its first bucket.
 */
export function bucketsProbe(query: TrendsQuery): QueryJson {
  const clean = cleanQuery(query) as TrendsQuery;
  return {
    kind: 'TrendsQuery',
    series: [{ kind: 'EventsNode', event: '$sightline_bucket_probe', math: 'total' }],
    interval: clean.interval ?? 'day',
    ...(clean.dateRange ? { dateRange: clean.dateRange } : {}),
  };
}
