// The engine's answer → what is drawn and the table of the same numbers, for every kind. Rows keep
// the order of `results`, so the table reads like the answer (the browser test compares them).
import type { QueryResponse } from '../../../api/insights';
import type { Cell, ChartModel, Column, Item, Row, TableModel, Viz, XYSeries } from '../../../components/charts/types';
import { bucketLabel } from '../../../components/charts/format';
import { formatDuration } from '../../../lib/time';
import type { BreakdownValue, DrillTarget } from '../drilldown/source';
import { isAggregated, mathCountsPersons, mathLabel, seriesLabel } from '../query/model';
import type {
  FunnelsQuery,
  InsightQuery,
  Interval,
  LifecycleQuery,
  LifecycleStatus,
  PathsQuery,
  RetentionQuery,
  StickinessQuery,
  TrendsQuery,
} from '../query/types';

export type InsightViz = Viz<DrillTarget>;

export const NULL_LABEL = '$$_posthog_breakdown_null_$$';
export const OTHER_LABEL = '$$_posthog_breakdown_other_$$';

export interface TrendsResult {
  data: number[];
  days: string[];
  labels?: string[];
  count: number;
  label: string;
  action: { order: number; name?: string | null; custom_name?: string | null; math?: string | null } | null;
  breakdown_value?: BreakdownValue | null;
  compare?: boolean;
  compare_label?: 'current' | 'previous';
  aggregated_value?: number;
  status?: LifecycleStatus;
}

export interface FunnelStep {
  action_id?: string | null;
  name: string;
  custom_name?: string | null;
  order: number;
  count: number;
  average_conversion_time: number | null;
  median_conversion_time: number | null;
  breakdown_value?: BreakdownValue | null;
}

export interface RetentionRow {
  values: { count: number; label?: string }[];
  label: string;
  date: string;
  breakdown_value?: BreakdownValue | null;
  /** With cohorts side by side: the cohort's name (the value is its id). */
  breakdown_label?: string;
}

export interface PathEdge {
  source: string;
  target: string;
  value: number;
  average_conversion_time?: number | null;
}

// --- words ---
export function breakdownLabel(value: BreakdownValue | null | undefined): string {
  if (value === null || value === undefined) return 'None';
  if (Array.isArray(value)) return value.map((v) => breakdownLabel(v)).join(' · ');
  if (value === NULL_LABEL || value === '') return 'None';
  if (value === OTHER_LABEL) return 'Other';
  return String(value);
}

export { bucketLabel } from '../../../components/charts/format';

function bucketLabels(days: string[], interval: Interval): string[] {
  const years = new Set(days.map((d) => d.slice(0, 4)));
  return days.map((d) => bucketLabel(d, interval, years.size > 1));
}

const numberCell = (value: number | null, drill?: DrillTarget | null, format?: Cell['format']): Cell<DrillTarget> => ({
  value,
  drill: drill ?? null,
  format,
});
const textCell = (value: string): Cell<DrillTarget> => ({ value });

const empty = (title: string, message: string): InsightViz => ({
  chart: { type: 'empty', title, message },
  table: { columns: [], rows: [] },
});

// --- the one entry ---
export function toViz(query: InsightQuery, response: Pick<QueryResponse, 'results'> | null | undefined): InsightViz {
  const results = response?.results;
  switch (query.kind) {
    case 'TrendsQuery':
      return trendsViz(query, (results ?? []) as TrendsResult[]);
    case 'FunnelsQuery':
      return funnelViz(query, results);
    case 'RetentionQuery':
      return retentionViz(query, (results ?? []) as RetentionRow[]);
    case 'PathsQuery':
      return pathsViz(query, (results ?? []) as PathEdge[]);
    case 'StickinessQuery':
      return stickinessViz(query, (results ?? []) as TrendsResult[]);
    case 'LifecycleQuery':
      return lifecycleViz(query, (results ?? []) as TrendsResult[]);
  }
}

// --- trends ---
function trendsSeriesName(query: TrendsQuery, r: TrendsResult): string {
  const many = query.series.length > 1;
  const node = r.action ? query.series[r.action.order] : undefined;
  // a series counted otherwise than by events says how ("insight viewed (unique persons)")
  const how = node?.math && node.math !== 'total' ? ` (${mathLabel(node.math).toLowerCase().replace('a property', node.math_property ?? 'a property')})` : '';
  const base = r.action === null ? r.label : node ? `${seriesLabel(node)}${how}` : r.label;
  let name = base;
  if (r.breakdown_value !== undefined && r.breakdown_value !== null) {
    const bd = breakdownLabel(r.breakdown_value);
    name = many || r.action === null ? `${base} · ${bd}` : bd;
  }
  if (r.compare_label === 'previous') name += ' (previous period)';
  return name;
}

/** One colour per series and breakdown value; the previous period takes its current's colour. */
function colorIndexes(results: TrendsResult[]): number[] {
  const seen = new Map<string, number>();
  return results.map((r) => {
    const key = JSON.stringify([r.action?.order ?? -1, r.breakdown_value ?? null, r.label.replace(/ \(previous period\)$/, '')]);
    if (!seen.has(key)) seen.set(key, seen.size);
    return seen.get(key)!;
  });
}

export function trendsViz(query: TrendsQuery, results: TrendsResult[]): InsightViz {
  const display = query.trendsFilter?.display ?? 'ActionsLineGraph';
  if (!results.length) return empty('Nothing to show', 'No events matched in this date range. Try a longer range or fewer filters.');
  const interval = query.interval ?? 'day';
  const formula = results.some((r) => r.action === null);
  const names = results.map((r) => trendsSeriesName(query, r));
  const persons = (r: TrendsResult) => mathCountsPersons(query.series[r.action?.order ?? 0]?.math);

  if (isAggregated(display)) {
    const value = (r: TrendsResult) => r.aggregated_value ?? r.count;
    const drill = (r: TrendsResult, i: number): DrillTarget | null =>
      r.action === null
        ? null
        : { kind: 'trends', series: r.action.order, day: null, breakdown: r.breakdown_value ?? null, label: names[i], value: value(r), persons: persons(r) };
    const table: TableModel<DrillTarget> = {
      columns: [{ key: 'series', label: query.breakdownFilter?.breakdown || display === 'WorldMap' ? 'Breakdown' : 'Series' }, { key: 'value', label: 'Value', numeric: true }],
      rows: results.map((r, i) => ({ key: String(i), cells: [textCell(names[i]), numberCell(value(r), drill(r, i))] })),
    };
    const items: Item<DrillTarget>[] = results.map((r, i) => ({
      label: names[i],
      value: value(r),
      drill: drill(r, i),
      code: typeof r.breakdown_value === 'string' ? r.breakdown_value : undefined,
    }));
    let chart: ChartModel<DrillTarget>;
    switch (display) {
      case 'BoldNumber':
        chart = { type: 'number', items: items.map((it) => ({ label: it.label, value: it.value })) };
        break;
      case 'ActionsPie':
        chart = { type: 'pie', items };
        break;
      case 'ActionsBarValue':
        chart = { type: 'hbar', items };
        break;
      case 'WorldMap':
        chart = { type: 'map', items };
        break;
      default:
        chart = { type: 'table' };
    }
    return { chart, table };
  }

  const current = results.find((r) => r.compare_label !== 'previous') ?? results[0];
  const days = current.days;
  const categories = bucketLabels(days, interval);
  const colors = colorIndexes(results);
  const drills = results.map((r, i) =>
    r.data.map((v, j): DrillTarget | null =>
      r.action === null || !r.days[j]
        ? null
        : {
            kind: 'trends',
            series: r.action.order,
            day: r.days[j],
            breakdown: r.breakdown_value ?? null,
            ...(r.compare_label === 'previous' && r.days.length
              ? { previousRange: { date_from: r.days[0].replace(' ', 'T'), date_to: r.days[r.days.length - 1].replace(' ', 'T') } }
              : {}),
            label: `${names[i]} · ${bucketLabel(r.days[j], interval, true)}`,
            value: v,
            persons: persons(r),
          },
    ),
  );
  const series: XYSeries<DrillTarget>[] = results.map((r, i) => ({
    name: names[i],
    data: r.data,
    drill: drills[i],
    dashed: r.compare_label === 'previous',
    colorIndex: colors[i],
  }));
  const type =
    display === 'ActionsUnstackedBar' ? 'bar' : display === 'ActionsBar' ? 'stacked' : display === 'ActionsAreaGraph' ? 'area' : 'line';
  const columns: Column[] = [
    { key: 'series', label: 'Series' },
    ...categories.map((c, j) => ({ key: String(j), label: c, numeric: true })),
    { key: 'total', label: display === 'ActionsLineGraphCumulative' ? 'Last' : 'Total', numeric: true },
  ];
  const rows: Row<DrillTarget>[] = results.map((r, i) => ({
    key: String(i),
    cells: [
      textCell(names[i]),
      ...r.data.map((v, j) => numberCell(v, drills[i][j])),
      numberCell(display === 'ActionsLineGraphCumulative' ? r.data[r.data.length - 1] ?? 0 : r.count),
    ],
  }));
  const summary = formula ? 'Formula points are computed from several series, so they have no persons of their own.' : undefined;
  return { chart: { type, categories, series }, table: { columns, rows }, summary };
}

// --- funnels ---
function stepName(query: FunnelsQuery, step: FunnelStep, i: number): string {
  const node = query.series[i];
  return `${i + 1}. ${step.custom_name || (node ? seriesLabel(node) : step.name)}`;
}

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);

export function funnelViz(query: FunnelsQuery, results: unknown): InsightViz {
  const viz = query.funnelsFilter?.funnelVizType ?? 'steps';
  if (viz === 'time_to_convert') return timeToConvertViz(results as { bins?: [number, number][]; average_conversion_time?: number | null } | null);
  if (viz === 'trends') return funnelTrendsViz(query, (results ?? []) as (TrendsResult & { reached_from_step_count?: number[]; reached_to_step_count?: number[] })[]);
  const list = (results ?? []) as FunnelStep[] | FunnelStep[][];
  if (!list.length) return empty('Nobody entered this funnel', 'Nobody did the first step in this date range. Try a longer range or another first step.');
  const groups: FunnelStep[][] = Array.isArray(list[0]) ? (list as FunnelStep[][]) : [list as FunnelStep[]];
  const broken = Array.isArray(list[0]);
  const steps = groups[0].map((s, i) => stepName(query, s, i));
  const series: XYSeries<DrillTarget>[] = [];
  const rows: Row<DrillTarget>[] = [];
  groups.forEach((group, g) => {
    const bd = broken ? group[0]?.breakdown_value ?? null : null;
    const groupName = broken ? breakdownLabel(bd) : 'Converted';
    const first = group[0]?.count ?? 0;
    const target = (i: number, dropOff: boolean, value: number): DrillTarget => ({
      kind: 'funnel',
      step: i + 1,
      dropOff,
      breakdown: bd,
      label: `${dropOff ? 'Dropped off before' : 'Reached'} ${steps[i]}${broken ? ` · ${groupName}` : ''}`,
      value,
    });
    const converted = group.map((s) => s.count);
    const dropped = group.map((s, i) => (i === 0 ? 0 : group[i - 1].count - s.count));
    series.push({
      name: groupName,
      data: converted,
      drill: group.map((s, i) => target(i, false, s.count)),
      stack: `g${g}`,
      colorIndex: g,
      labels: group.map((s) => `${pct(s.count, first)}%`),
    });
    series.push({
      name: broken ? `${groupName} · dropped off` : 'Dropped off',
      data: dropped,
      drill: dropped.map((d, i) => (i === 0 ? null : target(i, true, d))),
      stack: `g${g}`,
      colorIndex: g,
      faded: true,
    });
    group.forEach((s, i) => {
      rows.push({
        key: `${g}:${i}`,
        cells: [
          textCell(steps[i]),
          ...(broken ? [textCell(groupName)] : []),
          numberCell(s.count, target(i, false, s.count)),
          numberCell(pct(s.count, first), null, 'percent'),
          numberCell(i === 0 ? 100 : pct(s.count, group[i - 1].count), null, 'percent'),
          numberCell(i === 0 ? null : dropped[i], i === 0 ? null : target(i, true, dropped[i])),
          numberCell(s.average_conversion_time, null, 'duration'),
          numberCell(s.median_conversion_time, null, 'duration'),
        ],
      });
    });
  });
  const columns: Column[] = [
    { key: 'step', label: 'Step' },
    ...(broken ? [{ key: 'breakdown', label: 'Breakdown' }] : []),
    { key: 'count', label: 'Persons', numeric: true },
    { key: 'conversion', label: 'Of first step', numeric: true },
    { key: 'step_conversion', label: 'Of previous step', numeric: true },
    { key: 'dropped', label: 'Dropped off', numeric: true },
    { key: 'avg_time', label: 'Average time', numeric: true },
    { key: 'median_time', label: 'Median time', numeric: true },
  ];
  const firstGroup = groups[0];
  const overall = broken
    ? undefined
    : `${pct(firstGroup[firstGroup.length - 1].count, firstGroup[0].count)}% of ${firstGroup[0].count.toLocaleString()} persons who did the first step went all the way.`;
  return { chart: { type: 'funnel', steps, series }, table: { columns, rows }, summary: overall };
}

function timeToConvertViz(result: { bins?: [number, number][]; average_conversion_time?: number | null } | null): InsightViz {
  const bins = result?.bins ?? [];
  if (!bins.length) return empty('Nobody converted', 'Nobody went from the first to the last step in this date range.');
  const categories = bins.map(([s]) => formatDuration(s * 1000));
  return {
    chart: { type: 'bar', categories, series: [{ name: 'Persons', data: bins.map(([, n]) => n), colorIndex: 0 }], xName: 'Time to convert', yName: 'Persons' },
    table: {
      columns: [
        { key: 'bin', label: 'Time to convert (from)' },
        { key: 'count', label: 'Persons', numeric: true },
      ],
      rows: bins.map(([s, n], i) => ({ key: String(i), cells: [textCell(formatDuration(s * 1000)), numberCell(n)] })),
    },
    summary: result?.average_conversion_time != null ? `Average time to convert: ${formatDuration(result.average_conversion_time * 1000)}.` : undefined,
  };
}

function funnelTrendsViz(query: FunnelsQuery, results: (TrendsResult & { reached_from_step_count?: number[]; reached_to_step_count?: number[] })[]): InsightViz {
  if (!results.length) return empty('Nothing to show', 'Nobody entered this funnel in this date range.');
  const interval = query.interval ?? 'day';
  const r = results[0];
  const categories = bucketLabels(r.days, interval);
  const columns: Column[] = [{ key: 'series', label: '' }, ...categories.map((c, j) => ({ key: String(j), label: c, numeric: true }))];
  const rows: Row<DrillTarget>[] = [
    { key: 'rate', cells: [textCell('Conversion rate'), ...r.data.map((v) => numberCell(v, null, 'percent'))] },
    { key: 'entered', cells: [textCell('Entered'), ...(r.reached_from_step_count ?? []).map((v) => numberCell(v))] },
    { key: 'converted', cells: [textCell('Converted'), ...(r.reached_to_step_count ?? []).map((v) => numberCell(v))] },
  ];
  return {
    chart: { type: 'line', categories, series: [{ name: 'Conversion rate', data: r.data, colorIndex: 0 }], format: 'percent' },
    table: { columns, rows },
  };
}

// --- retention ---
export function retentionViz(query: RetentionQuery, results: RetentionRow[]): InsightViz {
  if (!results.length) return empty('No cohorts', 'Nobody did the first event in this date range.');
  const period = query.retentionFilter.period ?? 'Day';
  const interval: Interval = period === 'Hour' ? 'hour' : period === 'Month' ? 'month' : 'day';
  const periods = Math.max(...results.map((r) => r.values.length));
  const columns: Column[] = [
    { key: 'cohort', label: 'Cohort' },
    { key: 'size', label: 'Persons', numeric: true },
    ...Array.from({ length: periods }, (_, k) => ({ key: `p${k}`, label: `${period} ${k}`, numeric: true })),
  ];
  // cohorts side by side come as one block of period rows per cohort, in the server's order
  const compared = results.some((r) => r.breakdown_value !== undefined && r.breakdown_value !== null);
  const groups: { name: string; value: BreakdownValue | null; rows: RetentionRow[] }[] = [];
  for (const r of results) {
    const value = compared ? (r.breakdown_value ?? null) : null;
    let group = groups.find((g) => g.value === value);
    if (!group) groups.push((group = { name: r.breakdown_label ?? breakdownLabel(value), value, rows: [] }));
    group.rows.push(r);
  }
  const rows: Row<DrillTarget>[] = groups.flatMap((g) => {
    const n = g.rows.length;
    return g.rows.map((r, i) => {
      const size = r.values[0]?.count ?? 0;
      const when = `${period === 'Week' ? 'Week of ' : ''}${bucketLabel(r.date.slice(0, 19).replace('T', ' '), interval, true)}`;
      const cohortLabel = compared ? `${g.name} · ${when}` : when;
      const breakdown = compared ? { breakdown: g.value } : {};
      return {
        key: compared ? `${String(g.value)}:${i}` : String(i),
        cells: [
          textCell(cohortLabel),
          numberCell(size, { kind: 'retention', cohort: i, ...breakdown, label: `Cohort of ${cohortLabel}`, value: size }),
          ...Array.from({ length: periods }, (_, k): Cell<DrillTarget> => {
            const count = r.values[k]?.count ?? 0;
            // periods after the end of the range have not happened yet: no colour, no click
            const future = i + k >= n;
            return {
              value: future ? null : count,
              heat: future || size === 0 ? undefined : count / size,
              drill: future ? null : { kind: 'retention', cohort: i, period: k, ...breakdown, label: `Cohort of ${cohortLabel} · ${period} ${k}`, value: count },
            };
          }),
        ],
      };
    });
  });
  // the curve: of the persons whose period k has come, the share who came back in it (one per cohort compared)
  const curve = (block: RetentionRow[]) =>
    Array.from({ length: periods }, (_, k) => {
      let back = 0;
      let of = 0;
      block.forEach((r, i) => {
        if (i + k < block.length) {
          back += r.values[k]?.count ?? 0;
          of += r.values[0]?.count ?? 0;
        }
      });
      return pct(back, of);
    });
  const display = query.retentionFilter.display ?? 'ActionsTable';
  const chart: ChartModel<DrillTarget> =
    display === 'ActionsLineGraph'
      ? {
          type: 'line',
          categories: columns.slice(2).map((c) => c.label),
          series: groups.map((g, i) => ({ name: compared ? g.name : 'Retained (all cohorts)', data: curve(g.rows), colorIndex: i })),
          format: 'percent',
        }
      : { type: 'grid' };
  return { chart, table: { columns, rows } };
}

// --- paths ---
/** "2_https://site/pricing" → step 2, "/pricing". */
export function pathNode(name: string): { step: number; item: string; label: string } {
  const m = /^(\d+)_(.*)$/s.exec(name);
  const step = m ? Number(m[1]) : 0;
  const item = m ? m[2] : name;
  let label = item;
  const url = /^https?:\/\/[^/]+(\/.*)?$/i.exec(item);
  if (url) label = url[1] || '/';
  return { step, item, label };
}

export function pathsViz(_query: PathsQuery, edges: PathEdge[]): InsightViz {
  if (!edges.length) return empty('No paths', 'Nobody went from one page or event to another in this date range.');
  const names = new Map<string, { name: string; label: string; step: number }>();
  for (const e of edges) {
    for (const n of [e.source, e.target]) {
      if (!names.has(n)) {
        const p = pathNode(n);
        names.set(n, { name: n, label: p.label, step: p.step });
      }
    }
  }
  const nodes = [...names.values()].sort((a, b) => a.step - b.step);
  return {
    chart: { type: 'sankey', nodes, links: edges.map((e) => ({ source: e.source, target: e.target, value: e.value, averageMs: e.average_conversion_time ?? null })) },
    table: {
      columns: [
        { key: 'step', label: 'Step', numeric: true },
        { key: 'source', label: 'From' },
        { key: 'target', label: 'To' },
        { key: 'value', label: 'Persons', numeric: true },
        { key: 'avg_time', label: 'Average time', numeric: true },
      ],
      rows: edges.map((e, i) => ({
        key: String(i),
        cells: [
          numberCell(pathNode(e.source).step),
          textCell(pathNode(e.source).item),
          textCell(pathNode(e.target).item),
          numberCell(e.value),
          numberCell(e.average_conversion_time == null ? null : e.average_conversion_time / 1000, null, 'duration'),
        ],
      })),
    },
  };
}

// --- stickiness ---
export function stickinessViz(query: StickinessQuery, results: TrendsResult[]): InsightViz {
  if (!results.length) return empty('Nothing to show', 'Nobody did this in the date range.');
  const categories = results[0].labels ?? results[0].days.map(String);
  const names = results.map((r) => (r.action ? seriesLabel(query.series[r.action.order] ?? { name: r.label }) : r.label));
  const drills = results.map((r, i) =>
    r.data.map((v, k): DrillTarget => ({
      kind: 'stickiness',
      series: r.action?.order ?? i,
      intervals: Number(r.days[k] ?? k + 1),
      label: `${names[i]} · ${categories[k]}`,
      value: v,
    })),
  );
  return {
    chart: {
      type: 'bar',
      categories,
      series: results.map((r, i) => ({ name: names[i], data: r.data, drill: drills[i], colorIndex: i })),
      xName: `Active ${query.interval ?? 'day'}s in the range`,
      yName: 'Persons',
    },
    table: {
      columns: [{ key: 'series', label: 'Series' }, ...categories.map((c, j) => ({ key: String(j), label: c, numeric: true }))],
      rows: results.map((r, i) => ({ key: String(i), cells: [textCell(names[i]), ...r.data.map((v, k) => numberCell(v, drills[i][k]))] })),
    },
  };
}

// --- lifecycle ---
export const LIFECYCLE_COLORS: Record<LifecycleStatus, string> = {
  new: '#2f9e44',
  returning: '#4263eb',
  resurrecting: '#ae3ec9',
  dormant: '#e8590c',
};
const STATUS_WORDS: Record<LifecycleStatus, string> = { new: 'New', returning: 'Returning', resurrecting: 'Resurrecting', dormant: 'Dormant' };

export function lifecycleViz(query: LifecycleQuery, results: TrendsResult[]): InsightViz {
  if (!results.length) return empty('Nothing to show', 'Nobody did this in the date range.');
  const interval = query.interval ?? 'day';
  const days = results[0].days;
  const categories = bucketLabels(days, interval);
  const statusOf = (r: TrendsResult): LifecycleStatus => r.status ?? ((r.label.split(' - ').pop() ?? 'new') as LifecycleStatus);
  const drills = results.map((r) =>
    r.data.map((v, j): DrillTarget => ({
      kind: 'lifecycle',
      day: r.days[j],
      status: statusOf(r),
      label: `${STATUS_WORDS[statusOf(r)]} · ${bucketLabel(r.days[j], interval, true)}`,
      value: Math.abs(v),
    })),
  );
  return {
    chart: {
      type: 'stacked',
      categories,
      series: results.map((r, i) => ({ name: STATUS_WORDS[statusOf(r)], data: r.data, drill: drills[i], color: LIFECYCLE_COLORS[statusOf(r)], stack: 'lifecycle' })),
    },
    table: {
      columns: [{ key: 'series', label: 'Status' }, ...categories.map((c, j) => ({ key: String(j), label: c, numeric: true }))],
      rows: results.map((r, i) => ({ key: String(i), cells: [textCell(STATUS_WORDS[statusOf(r)]), ...r.data.map((v, j) => numberCell(v, drills[i][j]))] })),
    },
  };
}
