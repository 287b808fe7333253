import { describe, expect, it } from 'vitest';
import { cleanQuery, decodeQuery, defaultQuery, encodeQuery, readiness, retentionDateFrom, suggestedName, validFormula } from './model';
import { INSIGHT_KINDS, type FunnelsQuery, type InsightQuery, type LifecycleQuery, type RetentionQuery, type TrendsQuery } from './types';

const trends = (patch: Partial<TrendsQuery> = {}): TrendsQuery => ({ ...(defaultQuery('TrendsQuery') as TrendsQuery), ...patch });

describe('the URL holds the whole query', () => {
  it('gives back every kind as it was encoded', () => {
    for (const kind of INSIGHT_KINDS) {
      const q = defaultQuery(kind);
      expect(decodeQuery(encodeQuery(q))?.kind).toBe(kind);
      expect(cleanQuery(decodeQuery(encodeQuery(q))!)).toEqual(cleanQuery(q));
    }
  });

  it('keeps series, filters, breakdown and display through a round trip', () => {
    const q = trends({
      series: [
        { kind: 'EventsNode', event: '$pageview', name: '$pageview', math: 'dau', properties: [{ key: '$browser', operator: 'exact', value: ['Chrome'], type: 'event' }] },
        { kind: 'EventsNode', event: 'invoice paid', name: 'invoice paid', math: 'sum', math_property: 'revenue' },
      ],
      breakdownFilter: { breakdown: 'plan', breakdown_type: 'person' },
      trendsFilter: { display: 'ActionsBar', formula: 'B / A' },
      compareFilter: { compare: true },
      dateRange: { date_from: '2026-11-01', date_to: '2026-11-30' },
      filterTestAccounts: true,
    });
    const back = decodeQuery(encodeQuery(q))!;
    expect(back).toEqual(cleanQuery(q));
    expect((back as TrendsQuery).series[1].math_property).toBe('revenue');
    expect((back as TrendsQuery).trendsFilter?.formula).toBe('B / A');
  });

  it('unwraps an InsightVizNode and refuses what it cannot edit', () => {
    const inner = defaultQuery('LifecycleQuery');
    expect(decodeQuery(JSON.stringify({ kind: 'InsightVizNode', source: inner }))?.kind).toBe('LifecycleQuery');
    expect(decodeQuery('not json')).toBeNull();
    expect(decodeQuery('{"kind":"HogQLQuery","query":"select 1"}')).toBeNull();
    expect(decodeQuery('[1,2]')).toBeNull();
    expect(decodeQuery(null)).toBeNull();
  });

  it('fills in what a kind needs when the JSON leaves it out', () => {
    const r = decodeQuery('{"kind":"RetentionQuery","retentionFilter":{"period":"Week"}}') as RetentionQuery;
    expect(r.retentionFilter.period).toBe('Week');
    expect(r.retentionFilter.totalIntervals).toBe(8);
    expect(r.retentionFilter.targetEntity.id).toBe('$pageview');
    const t = decodeQuery('{"kind":"TrendsQuery"}') as TrendsQuery;
    expect(t.series).toHaveLength(1);
  });
});

describe('switching kind', () => {
  it('carries the events, date range and filters over', () => {
    const from = trends({
      series: [
        { kind: 'EventsNode', event: 'user signed up', math: 'dau' },
        { kind: 'EventsNode', event: 'insight created', math: 'total' },
      ],
      dateRange: { date_from: '-30d' },
      properties: [{ key: 'plan', operator: 'exact', value: ['pro'], type: 'person' }],
    });
    const funnel = defaultQuery('FunnelsQuery', from) as FunnelsQuery;
    expect(funnel.series.map((s) => s.event)).toEqual(['user signed up', 'insight created']);
    expect(funnel.series[0].math).toBeUndefined();
    expect(funnel.dateRange).toEqual({ date_from: '-30d' });
    expect(funnel.properties).toHaveLength(1);
    const retention = defaultQuery('RetentionQuery', from) as RetentionQuery;
    expect(retention.retentionFilter.targetEntity.id).toBe('user signed up');
    expect(retention.retentionFilter.returningEntity.id).toBe('insight created');
    const lifecycle = defaultQuery('LifecycleQuery', from) as LifecycleQuery;
    expect(lifecycle.series).toHaveLength(1);
    expect((defaultQuery('TrendsQuery', funnel) as TrendsQuery).series.every((s) => s.math === 'total')).toBe(true);
  });
});

describe('the query that is sent', () => {
  it('trends: a property math keeps its property, other maths drop it', () => {
    const q = cleanQuery(
      trends({
        series: [
          { kind: 'EventsNode', event: 'a', math: 'total', math_property: 'revenue' },
          { kind: 'EventsNode', event: 'b', math: 'p90', math_property: 'revenue' },
        ],
      }),
    ) as TrendsQuery;
    expect(q.series[0]).toEqual({ kind: 'EventsNode', event: 'a', math: 'total' });
    expect(q.series[1]).toEqual({ kind: 'EventsNode', event: 'b', math: 'p90', math_property: 'revenue' });
    expect(q.interval).toBe('day');
  });

  it('trends: a world map breaks down by country; aggregated displays do not compare or smooth', () => {
    const q = cleanQuery(trends({ trendsFilter: { display: 'WorldMap', smoothingIntervals: 7 }, compareFilter: { compare: true } })) as TrendsQuery;
    expect(q.breakdownFilter).toEqual({ breakdown: '$geoip_country_code', breakdown_type: 'event' });
    expect(q.compareFilter).toBeUndefined();
    expect(q.trendsFilter).toEqual({ display: 'WorldMap' });
    const line = cleanQuery(trends({ trendsFilter: { display: 'ActionsLineGraph', smoothingIntervals: 7 }, compareFilter: { compare: true } })) as TrendsQuery;
    expect(line.compareFilter).toEqual({ compare: true });
    expect(line.trendsFilter?.smoothingIntervals).toBe(7);
  });

  it('trends: an empty breakdown and a half-typed formula never reach the engine', () => {
    const q = cleanQuery(trends({ breakdownFilter: { breakdown_type: 'person' }, trendsFilter: { display: 'ActionsLineGraph', formula: 'A +' } })) as TrendsQuery;
    expect(q.breakdownFilter).toBeUndefined();
    expect(q.trendsFilter).toEqual({ display: 'ActionsLineGraph' });
  });

  it('funnels: exclusions stay between existing steps; time-to-convert steps only for that view', () => {
    const q = cleanQuery({
      ...(defaultQuery('FunnelsQuery') as FunnelsQuery),
      series: [
        { kind: 'EventsNode', event: 'a' },
        { kind: 'EventsNode', event: 'b' },
        { kind: 'EventsNode', event: 'c' },
      ],
      funnelsFilter: {
        funnelOrderType: 'strict',
        funnelVizType: 'steps',
        funnelWindowInterval: 7,
        funnelWindowIntervalUnit: 'hour',
        funnelFromStep: 1,
        exclusions: [
          { kind: 'EventsNode', event: 'x', funnelFromStep: 5, funnelToStep: 9 },
          { kind: 'EventsNode', event: null, funnelFromStep: 0, funnelToStep: 1 },
        ],
      },
    }) as FunnelsQuery;
    expect(q.funnelsFilter).toEqual({
      funnelOrderType: 'strict',
      funnelVizType: 'steps',
      funnelWindowInterval: 7,
      funnelWindowIntervalUnit: 'hour',
      exclusions: [{ kind: 'EventsNode', event: 'x', funnelFromStep: 1, funnelToStep: 2 }],
    });
    expect(q.interval).toBeUndefined();
    const overTime = cleanQuery({ ...q, funnelsFilter: { ...q.funnelsFilter, funnelVizType: 'trends' } }) as FunnelsQuery;
    expect(overTime.interval).toBe('day');
  });

  it('retention: both the type and the intervals are always sent', () => {
    const q = cleanQuery(defaultQuery('RetentionQuery')) as RetentionQuery;
    expect(q.retentionFilter.retentionType).toBe('retention_first_time');
    expect(q.retentionFilter.totalIntervals).toBe(8);
    expect(q.retentionFilter.targetEntity).toEqual({ id: '$pageview', type: 'events', name: '$pageview' });
    expect(q.dateRange).toEqual({ date_from: '-7d' });
  });

  it('retention: cohorts compared side by side are kept, through the URL too; anything else as a breakdown is not', () => {
    const q = { ...defaultQuery('RetentionQuery'), breakdownFilter: { breakdown_type: 'cohort', breakdown: [3, 'all'] } } as RetentionQuery;
    expect(cleanQuery(q)).toMatchObject({ breakdownFilter: { breakdown_type: 'cohort', breakdown: [3, 'all'] } });
    expect(cleanQuery(decodeQuery(encodeQuery(q))!)).toEqual(cleanQuery(q));
    const none = { ...q, breakdownFilter: { breakdown_type: 'cohort', breakdown: [] } } as RetentionQuery;
    expect(cleanQuery(none)).not.toHaveProperty('breakdownFilter');
    const property = { ...q, breakdownFilter: { breakdown_type: 'event', breakdown: '$browser' } } as RetentionQuery;
    expect(cleanQuery(property)).not.toHaveProperty('breakdownFilter');
  });

  it('paths, stickiness and lifecycle', () => {
    const p = cleanQuery({ kind: 'PathsQuery', pathsFilter: { includeEventTypes: [], startPoint: '  ', endPoint: 'https://x/pricing', excludeEvents: [' ', '/a'] } });
    expect(p).toEqual({ kind: 'PathsQuery', pathsFilter: { includeEventTypes: ['$pageview'], endPoint: 'https://x/pricing', excludeEvents: ['/a'], stepLimit: 5 } });
    const s = cleanQuery({ kind: 'StickinessQuery', series: [{ kind: 'EventsNode', event: 'a', math: 'dau' }], stickinessFilter: { computedAs: 'cumulative' } });
    expect(s).toEqual({ kind: 'StickinessQuery', series: [{ kind: 'EventsNode', event: 'a' }], interval: 'day', stickinessFilter: { computedAs: 'cumulative' } });
    const all = cleanQuery({ ...(defaultQuery('LifecycleQuery') as LifecycleQuery), lifecycleFilter: { toggledLifecycles: ['new', 'returning', 'resurrecting', 'dormant'] } });
    expect((all as LifecycleQuery).lifecycleFilter).toBeUndefined();
    const some = cleanQuery({ ...(defaultQuery('LifecycleQuery') as LifecycleQuery), lifecycleFilter: { toggledLifecycles: ['dormant'] } });
    expect((some as LifecycleQuery).lifecycleFilter).toEqual({ toggledLifecycles: ['dormant'] });
  });
});

describe('rules in words', () => {
  it('a formula names only existing series and balances its brackets', () => {
    expect(validFormula('a / b', 2)).toBe('A / B');
    expect(validFormula('(A + B) * 100', 2)).toBe('(A + B) * 100');
    expect(validFormula('A / C', 2)).toBeUndefined();
    expect(validFormula('(A + B', 2)).toBeUndefined();
    expect(validFormula('A +', 1)).toBeUndefined();
    expect(validFormula('alert(1)', 1)).toBeUndefined();
  });

  it('says what is missing before anything is run', () => {
    expect(readiness(defaultQuery('FunnelsQuery'))).toMatch(/second step/);
    expect(readiness(trends({ series: [{ kind: 'EventsNode', event: 'a', math: 'sum' }] }))).toMatch(/numeric property/);
    expect(readiness(trends())).toBeNull();
  });

  it('names a new insight after what it counts', () => {
    expect(suggestedName(trends({ breakdownFilter: { breakdown: '$browser' } }))).toBe('$pageview by $browser');
    const f: InsightQuery = { ...(defaultQuery('FunnelsQuery') as FunnelsQuery), series: [{ kind: 'EventsNode', event: 'a' }, { kind: 'EventsNode', event: 'b' }] };
    expect(suggestedName(f)).toBe('Funnel: a → b');
  });

  it('a retention range shows as many cohorts as asked', () => {
    expect(retentionDateFrom('Week', 8)).toBe('-7w');
    expect(retentionDateFrom('Day', 1)).toBe('-0d');
  });
});
