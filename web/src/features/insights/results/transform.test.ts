import { describe, expect, it } from 'vitest';
import { defaultQuery } from '../query/model';
import type { FunnelsQuery, LifecycleQuery, PathsQuery, RetentionQuery, StickinessQuery, TrendsQuery } from '../query/types';
import { breakdownLabel, bucketLabel, OTHER_LABEL, NULL_LABEL, pathNode, toViz, type TrendsResult } from './transform';

const action = (order: number, math = 'total') => ({ id: 'e', type: 'events', order, name: 'e', custom_name: null, math });
const series = (patch: Partial<TrendsResult>): TrendsResult => ({
  data: [1, 2, 3],
  days: ['2026-12-01', '2026-12-02', '2026-12-03'],
  labels: [],
  count: 6,
  label: '$pageview',
  action: action(0),
  ...patch,
});
const trends = (patch: Partial<TrendsQuery> = {}): TrendsQuery => ({ ...(defaultQuery('TrendsQuery') as TrendsQuery), ...patch });
const numbers = (row: { cells: { value: unknown }[] }) => row.cells.slice(1).map((c) => c.value);

describe('trends', () => {
  it('draws one line per series and tables the same numbers, with a total', () => {
    const viz = toViz(trends(), { results: [series({})] });
    expect(viz.chart.type).toBe('line');
    if (viz.chart.type !== 'line') throw new Error();
    expect(viz.chart.categories).toEqual(['Dec 1', 'Dec 2', 'Dec 3']);
    expect(viz.chart.series[0].data).toEqual([1, 2, 3]);
    expect(viz.table.columns.map((c) => c.key)).toEqual(['series', '0', '1', '2', 'total']);
    expect(numbers(viz.table.rows[0])).toEqual([1, 2, 3, 6]);
    expect(viz.table.rows[0].cells[2].drill).toMatchObject({ kind: 'trends', series: 0, day: '2026-12-02', value: 2 });
  });

  it('names breakdown values, none and other, and keeps the answer order', () => {
    const q = trends({ breakdownFilter: { breakdown: '$browser' }, trendsFilter: { display: 'ActionsBar' } });
    const viz = toViz(q, {
      results: [series({ breakdown_value: 'Chrome' }), series({ breakdown_value: NULL_LABEL }), series({ breakdown_value: OTHER_LABEL })],
    });
    expect(viz.chart.type).toBe('stacked');
    expect(viz.table.rows.map((r) => r.cells[0].value)).toEqual(['Chrome', 'None', 'Other']);
    expect(viz.table.rows[0].cells[1].drill).toMatchObject({ breakdown: 'Chrome' });
  });

  it('marks the previous period dashed and opens its points in its own range', () => {
    const q = trends({ compareFilter: { compare: true } });
    const viz = toViz(q, {
      results: [
        series({ compare: true, compare_label: 'current' }),
        series({ compare: true, compare_label: 'previous', days: ['2026-11-28', '2026-11-29', '2026-11-30'], data: [4, 5, 6] }),
      ],
    });
    if (viz.chart.type !== 'line') throw new Error();
    expect(viz.chart.series.map((s) => s.dashed)).toEqual([false, true]);
    expect(viz.chart.series[1].name).toBe('$pageview (previous period)');
    expect(viz.chart.series[0].colorIndex).toBe(viz.chart.series[1].colorIndex);
    expect(viz.chart.series[1].drill![0]).toMatchObject({ day: '2026-11-28', previousRange: { date_from: '2026-11-28', date_to: '2026-11-30' } });
  });

  it('one number per series for the aggregated displays', () => {
    const results = [series({ data: [], days: [], aggregated_value: 42, breakdown_value: 'US' }), series({ data: [], days: [], aggregated_value: 7, breakdown_value: 'DE' })];
    const number = toViz(trends({ trendsFilter: { display: 'BoldNumber' } }), { results });
    expect(number.chart).toEqual({ type: 'number', items: [{ label: 'US', value: 42 }, { label: 'DE', value: 7 }] });
    const map = toViz(trends({ trendsFilter: { display: 'WorldMap' }, breakdownFilter: { breakdown: '$geoip_country_code' } }), { results });
    if (map.chart.type !== 'map') throw new Error();
    expect(map.chart.items.map((i) => [i.code, i.value])).toEqual([['US', 42], ['DE', 7]]);
    expect(map.table.rows.map(numbers)).toEqual([[42], [7]]);
    expect(map.table.rows[0].cells[1].drill).toMatchObject({ kind: 'trends', day: null, breakdown: 'US' });
    expect(toViz(trends({ trendsFilter: { display: 'ActionsTable' } }), { results }).chart.type).toBe('table');
    expect(toViz(trends({ trendsFilter: { display: 'ActionsPie' } }), { results }).chart.type).toBe('pie');
  });

  it('formula points have no persons; persons maths say so', () => {
    const viz = toViz(trends(), { results: [series({ action: null, label: 'Formula (A/B)' })] });
    expect(viz.table.rows[0].cells[1].drill).toBeNull();
    expect(viz.summary).toMatch(/Formula/);
    const dau = toViz(trends({ series: [{ kind: 'EventsNode', event: 'e', math: 'dau' }] }), { results: [series({ action: action(0, 'dau') })] });
    expect(dau.table.rows[0].cells[1].drill).toMatchObject({ persons: true });
    expect(dau.table.rows[0].cells[0].value).toBe('e (unique persons)');
    const sum = toViz(trends({ series: [{ kind: 'EventsNode', event: 'paid', math: 'sum', math_property: 'revenue' }] }), { results: [series({})] });
    expect(sum.table.rows[0].cells[0].value).toBe('paid (sum of revenue)');
  });

  it('says so when nothing matched', () => {
    expect(toViz(trends(), { results: [] }).chart.type).toBe('empty');
  });
});

describe('funnels', () => {
  const steps = [
    { name: 'a', order: 0, count: 100, average_conversion_time: null, median_conversion_time: null },
    { name: 'b', order: 1, count: 40, average_conversion_time: 3600, median_conversion_time: 1800 },
    { name: 'c', order: 2, count: 10, average_conversion_time: 60, median_conversion_time: 30 },
  ];
  const q: FunnelsQuery = { ...(defaultQuery('FunnelsQuery') as FunnelsQuery), series: [{ kind: 'EventsNode', event: 'a' }, { kind: 'EventsNode', event: 'b' }, { kind: 'EventsNode', event: 'c' }] };

  it('steps: converted and dropped-off bars, conversion rates, drop-offs that open their persons', () => {
    const viz = toViz(q, { results: steps });
    if (viz.chart.type !== 'funnel') throw new Error();
    expect(viz.chart.steps).toEqual(['1. a', '2. b', '3. c']);
    expect(viz.chart.series[0].data).toEqual([100, 40, 10]);
    expect(viz.chart.series[0].labels).toEqual(['100%', '40%', '10%']);
    expect(viz.chart.series[1].data).toEqual([0, 60, 30]);
    expect(viz.table.rows.map((r) => r.cells[1].value)).toEqual([100, 40, 10]);
    expect(viz.table.rows[2].cells[3].value).toBe(25);
    expect(viz.table.rows[1].cells[4]).toMatchObject({ value: 60, drill: { kind: 'funnel', step: 2, dropOff: true, value: 60 } });
    expect(viz.table.rows[0].cells[4].drill).toBeNull();
    expect(viz.summary).toMatch(/^10% of 100/);
  });

  it('a breakdown gives a group per value', () => {
    const grouped = [steps.map((s) => ({ ...s, breakdown_value: ['Chrome'] })), steps.map((s) => ({ ...s, count: s.count / 2, breakdown_value: ['Safari'] }))];
    const viz = toViz({ ...q, breakdownFilter: { breakdown: '$browser' } }, { results: grouped });
    expect(viz.table.rows).toHaveLength(6);
    expect(viz.table.rows[3].cells.slice(0, 3).map((c) => c.value)).toEqual(['1. a', 'Safari', 50]);
    expect(viz.table.rows[4].cells[2].drill).toMatchObject({ step: 2, breakdown: ['Safari'], dropOff: false });
  });

  it('time to convert and conversion over time', () => {
    const ttc = toViz({ ...q, funnelsFilter: { funnelVizType: 'time_to_convert' } }, { results: { bins: [[60, 3], [3600, 1]], average_conversion_time: 120 } });
    expect(ttc.table.rows.map((r) => r.cells.map((c) => c.value))).toEqual([['1m', 3], ['1h', 1]]);
    expect(ttc.summary).toBe('Average time to convert: 2m.');
    const overTime = toViz({ ...q, funnelsFilter: { funnelVizType: 'trends' } }, {
      results: [{ data: [50, 0], days: ['2026-12-01', '2026-12-02'], count: 2, label: 'Conversion rate', action: null, reached_from_step_count: [2, 0], reached_to_step_count: [1, 0] }],
    });
    expect(overTime.chart).toMatchObject({ type: 'line', format: 'percent' });
    expect(overTime.table.rows.map(numbers)).toEqual([[50, 0], [2, 0], [1, 0]]);
  });
});

describe('retention', () => {
  const q = defaultQuery('RetentionQuery') as RetentionQuery;
  const rows = [
    { label: 'Day 0', date: '2026-12-01T00:00:00Z', values: [{ count: 10 }, { count: 5 }, { count: 2 }] },
    { label: 'Day 1', date: '2026-12-02T00:00:00Z', values: [{ count: 4 }, { count: 1 }, { count: 0 }] },
    { label: 'Day 2', date: '2026-12-03T00:00:00Z', values: [{ count: 0 }, { count: 0 }, { count: 0 }] },
  ];
  it('a grid of cohorts: counts, shares, and no colour for periods still to come', () => {
    const viz = toViz(q, { results: rows });
    expect(viz.chart.type).toBe('grid');
    expect(viz.table.columns.map((c) => c.label)).toEqual(['Cohort', 'Persons', 'Day 0', 'Day 1', 'Day 2']);
    expect(viz.table.rows[0].cells.slice(1).map((c) => c.value)).toEqual([10, 10, 5, 2]);
    expect(viz.table.rows[0].cells[3].heat).toBe(0.5);
    expect(viz.table.rows[1].cells[4].value).toBeNull();
    expect(viz.table.rows[0].cells[0].value).toBe('Dec 1, 2026');
    expect(viz.table.rows[1].cells[3].drill).toMatchObject({ kind: 'retention', cohort: 1, period: 1 });
  });
  it('cohorts side by side: a block of rows per cohort, named, each with its own periods to come and drills into its members', () => {
    const side = [
      ...rows.map((r) => ({ ...r, breakdown_value: '7', breakdown_label: 'Pro plan' })),
      ...rows.map((r) => ({ ...r, values: r.values.map((v) => ({ count: v.count * 2 })), breakdown_value: 'all', breakdown_label: 'All users' })),
    ];
    const viz = toViz({ ...q, breakdownFilter: { breakdown_type: 'cohort', breakdown: [7, 'all'] } }, { results: side });
    expect(viz.table.rows).toHaveLength(6);
    expect(viz.table.rows.map((r) => r.cells[0].value)).toEqual([
      'Pro plan · Dec 1, 2026', 'Pro plan · Dec 2, 2026', 'Pro plan · Dec 3, 2026',
      'All users · Dec 1, 2026', 'All users · Dec 2, 2026', 'All users · Dec 3, 2026',
    ]);
    // the second block's first row has all its periods; its second row's last period has not come
    expect(viz.table.rows[3].cells.slice(1).map((c) => c.value)).toEqual([20, 20, 10, 4]);
    expect(viz.table.rows[4].cells[4].value).toBeNull();
    expect(viz.table.rows[4].cells[3].drill).toMatchObject({ kind: 'retention', cohort: 1, period: 1, breakdown: 'all' });
    const curve = toViz({ ...q, retentionFilter: { ...q.retentionFilter, display: 'ActionsLineGraph' }, breakdownFilter: { breakdown_type: 'cohort', breakdown: [7, 'all'] } }, { results: side });
    if (curve.chart.type !== 'line') throw new Error();
    expect(curve.chart.series.map((x) => x.name)).toEqual(['Pro plan', 'All users']);
    expect(curve.chart.series[0].data).toEqual([100, 42.9, 20]);
    expect(curve.chart.series[1].data).toEqual([100, 42.9, 20]);
  });
  it('the curve weighs each period by the cohorts that reached it', () => {
    const viz = toViz({ ...q, retentionFilter: { ...q.retentionFilter, display: 'ActionsLineGraph' } }, { results: rows });
    if (viz.chart.type !== 'line') throw new Error();
    // period 1: cohorts 0 and 1 have had it: (5 + 1) / (10 + 4)
    expect(viz.chart.series[0].data).toEqual([100, 42.9, 20]);
  });
});

describe('paths, stickiness, lifecycle', () => {
  it('paths: nodes named by step, URLs shown by their path', () => {
    expect(pathNode('2_https://site.example/pricing')).toEqual({ step: 2, item: 'https://site.example/pricing', label: '/pricing' });
    expect(pathNode('1_https://site.example')).toMatchObject({ label: '/' });
    expect(pathNode('3_signed up')).toMatchObject({ step: 3, label: 'signed up' });
    const viz = toViz(defaultQuery('PathsQuery') as PathsQuery, {
      results: [
        { source: '1_https://s/a', target: '2_https://s/b', value: 5, average_conversion_time: 2000 },
        { source: '2_https://s/b', target: '3_https://s/a', value: 2, average_conversion_time: null },
      ],
    });
    if (viz.chart.type !== 'sankey') throw new Error();
    expect(viz.chart.nodes.map((n) => n.name)).toEqual(['1_https://s/a', '2_https://s/b', '3_https://s/a']);
    expect(viz.table.rows.map((r) => r.cells[3].value)).toEqual([5, 2]);
  });

  it('stickiness: persons by number of active days', () => {
    const viz = toViz(defaultQuery('StickinessQuery') as StickinessQuery, {
      results: [{ data: [5, 2], days: [1, 2], labels: ['1 day', '2 days'], count: 7, label: '$pageview', action: action(0) }],
    });
    expect(viz.table.columns.map((c) => c.label)).toEqual(['Series', '1 day', '2 days']);
    expect(viz.table.rows[0].cells[2].drill).toMatchObject({ kind: 'stickiness', series: 0, intervals: 2 });
  });

  it('lifecycle: four stacked statuses, dormant below zero, with their colours', () => {
    const s = (status: string, data: number[]) => ({ data, days: ['2026-12-01', '2026-12-02'], count: 0, label: `e - ${status}`, status, action: action(0) });
    const viz = toViz(defaultQuery('LifecycleQuery') as LifecycleQuery, {
      results: [s('new', [1, 2]), s('returning', [0, 1]), s('resurrecting', [1, 0]), s('dormant', [0, -2])],
    });
    if (viz.chart.type !== 'stacked') throw new Error();
    expect(viz.chart.series.map((x) => x.name)).toEqual(['New', 'Returning', 'Resurrecting', 'Dormant']);
    expect(viz.table.rows[3].cells[2]).toMatchObject({ value: -2, drill: { kind: 'lifecycle', status: 'dormant', day: '2026-12-02', value: 2 } });
  });
});

describe('words', () => {
  it('labels buckets by interval and breakdown values', () => {
    expect(bucketLabel('2026-12-06 14:00:00', 'hour')).toBe('Dec 6 14:00');
    expect(bucketLabel('2026-12-01', 'month')).toBe('Dec 2026');
    expect(bucketLabel('2026-12-01', 'week', true)).toBe('Dec 1, 2026');
    expect(breakdownLabel(['Chrome', NULL_LABEL])).toBe('Chrome · None');
    expect(breakdownLabel(42)).toBe('42');
  });
});
