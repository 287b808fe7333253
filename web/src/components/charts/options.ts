// A chart model → the ECharts option that draws it, in the light or the dark scheme. Pure, so the
// tests can read what would be drawn; the ECharts code itself loads only with the first chart.
import { formatAxis, formatNumber } from './format';
import type { ChartModel, Format, Item, SankeyModel, XYSeries } from './types';

type Option = Record<string, unknown>;

export interface Scheme {
  dark: boolean;
}

const LIGHT_PALETTE = ['#4c6ef5', '#12b886', '#fd7e14', '#be4bdb', '#15aabf', '#e64980', '#82c91e', '#fab005', '#228be6', '#fa5252'];
const DARK_PALETTE = ['#748ffc', '#38d9a9', '#ffa94d', '#da77f2', '#3bc9db', '#f783ac', '#a9e34b', '#ffd43b', '#4dabf7', '#ff8787'];

export const palette = (s: Scheme) => (s.dark ? DARK_PALETTE : LIGHT_PALETTE);
export const paletteColor = (s: Scheme, i: number) => palette(s)[((i % 10) + 10) % 10];

function colors(s: Scheme) {
  return s.dark
    ? { text: '#c9c9c9', dim: '#8c8fa3', line: '#424242', split: '#2e2e2e', tooltip: '#25262b', tooltipBorder: '#424242', emptyArea: '#2c2e33' }
    : { text: '#343a40', dim: '#868e96', line: '#ced4da', split: '#eef0f2', tooltip: '#ffffff', tooltipBorder: '#dee2e6', emptyArea: '#f1f3f5' };
}

function base(s: Scheme): Option {
  const c = colors(s);
  return {
    backgroundColor: 'transparent',
    color: palette(s),
    textStyle: { color: c.text, fontFamily: 'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    animationDuration: 300,
    tooltip: {
      backgroundColor: c.tooltip,
      borderColor: c.tooltipBorder,
      textStyle: { color: c.text, fontSize: 12 },
      confine: true,
    },
  };
}

function axis(s: Scheme, extra: Option = {}): Option {
  const c = colors(s);
  return {
    axisLine: { lineStyle: { color: c.line } },
    axisTick: { show: false },
    axisLabel: { color: c.dim, fontSize: 11 },
    splitLine: { lineStyle: { color: c.split } },
    nameTextStyle: { color: c.dim, fontSize: 11 },
    ...extra,
  };
}

function legend(s: Scheme, show: boolean): Option | undefined {
  if (!show) return undefined;
  const c = colors(s);
  return { type: 'scroll', top: 0, left: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 8, textStyle: { color: c.text, fontSize: 12 }, pageTextStyle: { color: c.dim } };
}

function seriesColor(s: Scheme, series: XYSeries, i: number): string {
  return series.color ?? paletteColor(s, series.colorIndex ?? i);
}

function xyOption(model: Extract<ChartModel, { type: 'line' | 'bar' | 'stacked' | 'area' }>, s: Scheme): Option {
  const format: Format = model.format ?? 'number';
  const many = model.series.length > 1;
  const line = model.type === 'line' || model.type === 'area';
  const dense = model.categories.length > 45;
  return {
    ...base(s),
    legend: legend(s, many),
    grid: { left: 8, right: 16, top: (many ? 36 : 14) + (model.yName ? 14 : 0), bottom: model.xName ? 24 : 4, outerBoundsMode: 'same', outerBoundsContain: 'all' },
    tooltip: {
      ...(base(s).tooltip as Option),
      trigger: 'axis',
      axisPointer: { type: line ? 'line' : 'shadow' },
      valueFormatter: (v: number) => formatNumber(v, format),
    },
    xAxis: axis(s, {
      type: 'category',
      data: model.categories,
      boundaryGap: !line,
      name: model.xName,
      nameLocation: 'middle',
      nameGap: 28,
      splitLine: { show: false },
    }),
    yAxis: axis(s, {
      type: 'value',
      name: model.yName,
      axisLabel: { color: colors(s).dim, fontSize: 11, formatter: (v: number) => formatAxis(v, format) },
    }),
    series: model.series.map((series, i) => {
      const color = seriesColor(s, series, i);
      return {
        type: line ? 'line' : 'bar',
        name: series.name,
        data: series.data,
        ...(model.type === 'stacked' ? { stack: series.stack ?? 'total' } : {}),
        ...(model.type === 'area' ? { stack: series.dashed ? 'previous' : 'total', areaStyle: { opacity: 0.35 } } : {}),
        itemStyle: { color, opacity: series.dashed ? 0.55 : 1, ...(line ? {} : { borderRadius: model.type === 'stacked' ? 0 : [3, 3, 0, 0] }) },
        ...(line
          ? {
              smooth: false,
              symbol: 'circle',
              symbolSize: dense ? 4 : 7,
              showSymbol: !dense,
              lineStyle: { width: 2, color, type: series.dashed ? 'dashed' : 'solid', opacity: series.dashed ? 0.7 : 1 },
              triggerEvent: true,
            }
          : { barMaxWidth: 42 }),
        emphasis: { focus: many ? 'series' : 'none' },
        cursor: series.drill ? 'pointer' : 'default',
      };
    }),
  };
}

function funnelOption(model: Extract<ChartModel, { type: 'funnel' }>, s: Scheme): Option {
  const c = colors(s);
  const groups = new Set(model.series.map((x) => x.stack)).size;
  const max = Math.max(1, ...model.series.filter((x) => !x.faded).flatMap((x) => x.data));
  return {
    ...base(s),
    legend: legend(s, groups > 1),
    grid: { left: 8, right: 16, top: groups > 1 ? 36 : 14, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'all' },
    tooltip: { ...(base(s).tooltip as Option), trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => formatNumber(v) },
    xAxis: axis(s, { type: 'category', data: model.steps, splitLine: { show: false }, axisLabel: { color: c.text, fontSize: 12, width: 160, overflow: 'truncate', interval: 0 } }),
    yAxis: axis(s, { type: 'value', axisLabel: { color: c.dim, fontSize: 11, formatter: (v: number) => formatAxis(v) } }),
    series: model.series.map((series, i) => {
      const color = seriesColor(s, series, i);
      return {
        type: 'bar',
        name: series.name,
        // a bar too short to hold its share has it written above, over the faded drop-off
        data: series.labels
          ? series.data.map((v) => (v / max < 0.12 ? { value: v, label: { position: 'top', color: c.text } } : v))
          : series.data,
        stack: series.stack,
        barMaxWidth: 90,
        itemStyle: series.faded
          ? { color, opacity: 0.18, borderRadius: [3, 3, 0, 0] }
          : { color, borderRadius: 0 },
        label: series.labels
          ? { show: true, position: 'insideTop', color: '#fff', fontWeight: 600, fontSize: 12, formatter: (p: { dataIndex: number }) => series.labels![p.dataIndex] }
          : { show: false },
        ...(series.faded ? { legendHoverLink: false } : {}),
        cursor: 'pointer',
      };
    }),
  };
}

function pieOption(items: Item[], format: Format, s: Scheme): Option {
  const c = colors(s);
  return {
    ...base(s),
    legend: { ...legend(s, true), type: 'scroll', orient: 'vertical', left: 'left', top: 'middle' },
    tooltip: { ...(base(s).tooltip as Option), trigger: 'item', valueFormatter: (v: number) => formatNumber(v, format) },
    series: [
      {
        type: 'pie',
        radius: ['42%', '70%'],
        center: ['62%', '50%'],
        avoidLabelOverlap: true,
        itemStyle: { borderColor: s.dark ? '#1a1b1e' : '#fff', borderWidth: 2 },
        label: { color: c.text, formatter: '{b}: {d}%' },
        data: items.map((it) => ({ name: it.label, value: it.value })),
      },
    ],
  };
}

function hbarOption(items: Item[], format: Format, s: Scheme): Option {
  const c = colors(s);
  const reversed = [...items].reverse();
  return {
    ...base(s),
    grid: { left: 8, right: 48, top: 8, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'all' },
    tooltip: { ...(base(s).tooltip as Option), trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => formatNumber(v, format) },
    xAxis: axis(s, { type: 'value', axisLabel: { color: c.dim, fontSize: 11, formatter: (v: number) => formatAxis(v, format) } }),
    yAxis: axis(s, { type: 'category', data: reversed.map((i) => i.label), splitLine: { show: false }, axisLabel: { color: c.text, fontSize: 12, width: 180, overflow: 'truncate' } }),
    series: [
      {
        type: 'bar',
        data: reversed.map((i) => i.value),
        barMaxWidth: 26,
        itemStyle: { color: paletteColor(s, 0), borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: 'right', color: c.text, formatter: (p: { value: number }) => formatNumber(p.value, format) },
        cursor: 'pointer',
      },
    ],
  };
}

function sankeyOption(model: SankeyModel, s: Scheme): Option {
  const c = colors(s);
  const labels = new Map(model.nodes.map((n) => [n.name, n.label]));
  return {
    ...base(s),
    tooltip: {
      ...(base(s).tooltip as Option),
      trigger: 'item',
      formatter: (p: { dataType: string; data: { source?: string; target?: string; value?: number; name?: string }; value: number }) => {
        if (p.dataType === 'edge') {
          return `${escapeHtml(labels.get(p.data.source!) ?? '')} → ${escapeHtml(labels.get(p.data.target!) ?? '')}<br/><b>${formatNumber(p.data.value)}</b> persons`;
        }
        return `${escapeHtml(labels.get(p.data.name!) ?? '')}<br/><b>${formatNumber(p.value)}</b> persons`;
      },
    },
    series: [
      {
        type: 'sankey',
        left: 8,
        right: 160,
        top: 12,
        bottom: 12,
        nodeWidth: 12,
        nodeGap: 10,
        nodeAlign: 'left',
        layoutIterations: 32,
        draggable: false,
        emphasis: { focus: 'adjacency' },
        lineStyle: { color: 'gradient', curveness: 0.5, opacity: s.dark ? 0.35 : 0.28 },
        itemStyle: { borderWidth: 0 },
        label: { color: c.text, fontSize: 11, width: 150, overflow: 'truncate', formatter: (p: { name: string }) => labels.get(p.name) ?? p.name },
        // small neighbouring nodes would print their names over each other: the larger keeps its name, the tooltip names both
        labelLayout: { hideOverlap: true },
        data: model.nodes.map((n) => ({ name: n.name, itemStyle: { color: paletteColor(s, n.step - 1) } })),
        links: model.links.map((l) => ({ source: l.source, target: l.target, value: l.value })),
      },
    ],
  };
}

function mapOption(items: Item[], format: Format, s: Scheme): Option {
  const c = colors(s);
  const max = Math.max(1, ...items.map((i) => i.value));
  const names = new Map(items.map((i) => [i.code ?? i.label, i.label]));
  return {
    ...base(s),
    tooltip: {
      ...(base(s).tooltip as Option),
      trigger: 'item',
      formatter: (p: { name: string; value: number }) =>
        `${escapeHtml(names.get(p.name) ?? p.name)}: <b>${Number.isFinite(p.value) ? formatNumber(p.value, format) : '0'}</b>`,
    },
    visualMap: {
      min: 0,
      max,
      left: 8,
      bottom: 8,
      calculable: false,
      itemHeight: 90,
      text: [formatNumber(max, format), '0'],
      textStyle: { color: c.dim, fontSize: 11 },
      inRange: { color: s.dark ? ['#2b3a67', '#748ffc'] : ['#dbe4ff', '#3b5bdb'] },
    },
    series: [
      {
        type: 'map',
        map: 'world',
        roam: false,
        nameProperty: 'iso2',
        itemStyle: { areaColor: c.emptyArea, borderColor: s.dark ? '#1a1b1e' : '#fff', borderWidth: 0.5 },
        emphasis: { label: { show: false }, itemStyle: { areaColor: paletteColor(s, 2) } },
        select: { disabled: true },
        data: items.map((i) => ({ name: i.code ?? i.label, value: i.value })),
      },
    ],
  };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** A tile has room for the busiest links of a path diagram only; its table keeps them all. */
export function busiestLinks<D>(model: ChartModel<D>, max: number): ChartModel<D> {
  if (model.type !== 'sankey' || model.links.length <= max) return model;
  const links = [...model.links].sort((a, b) => b.value - a.value).slice(0, max);
  const used = new Set(links.flatMap((l) => [l.source, l.target]));
  return { ...model, links, nodes: model.nodes.filter((n) => used.has(n.name)) };
}

/** Null for models that are not drawn by ECharts (number, grid, table, empty). */
export function chartOption(model: ChartModel, s: Scheme): Option | null {
  switch (model.type) {
    case 'line':
    case 'bar':
    case 'stacked':
    case 'area':
      return xyOption(model, s);
    case 'funnel':
      return funnelOption(model, s);
    case 'pie':
      return pieOption(model.items, model.format ?? 'number', s);
    case 'hbar':
      return hbarOption(model.items, model.format ?? 'number', s);
    case 'sankey':
      return sankeyOption(model, s);
    case 'map':
      return mapOption(model.items, model.format ?? 'number', s);
    default:
      return null;
  }
}

/** What a click on (seriesIndex, dataIndex) opens, for models drawn by ECharts. */
export function clickTarget<D>(model: ChartModel<D>, seriesIndex: number, dataIndex: number, name?: string): D | null {
  switch (model.type) {
    case 'line':
    case 'bar':
    case 'stacked':
    case 'area':
    case 'funnel':
      return model.series[seriesIndex]?.drill?.[dataIndex] ?? null;
    case 'pie':
      return model.items[dataIndex]?.drill ?? null;
    case 'hbar':
      return model.items[model.items.length - 1 - dataIndex]?.drill ?? null;
    case 'map':
      return model.items.find((i) => (i.code ?? i.label) === name)?.drill ?? null;
    default:
      return null;
  }
}
