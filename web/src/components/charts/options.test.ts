import { describe, expect, it } from 'vitest';
import { changeWords, formatNumber } from './format';
import { busiestLinks, chartOption, clickTarget, escapeHtml } from './options';
import { pinToOneSide } from './worldMap';
import type { ChartModel } from './types';

describe('chart options', () => {
  const xy: ChartModel<string> = {
    type: 'stacked',
    categories: ['a', 'b'],
    series: [
      { name: 'A', data: [1, 2], drill: ['a0', 'a1'], colorIndex: 1 },
      { name: 'A (previous period)', data: [3, 4], dashed: true, colorIndex: 1 },
    ],
  };
  it('draws stacked bars with one colour per series, the previous period fainter', () => {
    const o = chartOption(xy, { dark: false }) as { series: { type: string; stack: string; itemStyle: { color: string; opacity: number } }[]; legend?: unknown };
    expect(o.series.map((s) => s.type)).toEqual(['bar', 'bar']);
    expect(o.series[0].stack).toBe('total');
    expect(o.series[0].itemStyle.color).toBe(o.series[1].itemStyle.color);
    expect(o.series[1].itemStyle.opacity).toBeLessThan(1);
    expect(o.legend).toBeDefined();
  });
  it('dark and light schemes differ in colour, not in shape', () => {
    const light = chartOption(xy, { dark: false }) as { color: string[]; series: unknown[] };
    const dark = chartOption(xy, { dark: true }) as { color: string[]; series: unknown[] };
    expect(light.color).not.toEqual(dark.color);
    expect(light.series.length).toBe(dark.series.length);
  });
  it('maps a click back to what the point opens', () => {
    expect(clickTarget(xy, 0, 1)).toBe('a1');
    expect(clickTarget(xy, 1, 0)).toBeNull();
    const bars: ChartModel<string> = { type: 'hbar', items: [{ label: 'x', value: 3, drill: 'x' }, { label: 'y', value: 1, drill: 'y' }] };
    // horizontal bars are drawn biggest on top, so the first drawn is the last item
    expect(clickTarget(bars, 0, 0)).toBe('y');
    const map: ChartModel<string> = { type: 'map', items: [{ label: 'US', code: 'US', value: 3, drill: 'us' }] };
    expect(clickTarget(map, 0, 0, 'US')).toBe('us');
  });
  it('models without a drawing have no option', () => {
    expect(chartOption({ type: 'grid' }, { dark: false })).toBeNull();
    expect(chartOption({ type: 'number', items: [] }, { dark: false })).toBeNull();
  });
  it('sankey and map carry their data', () => {
    const s = chartOption({ type: 'sankey', nodes: [{ name: '1_a', label: 'a', step: 1 }, { name: '2_b', label: 'b', step: 2 }], links: [{ source: '1_a', target: '2_b', value: 3 }] }, { dark: true }) as {
      series: { type: string; data: unknown[]; links: unknown[] }[];
    };
    expect(s.series[0]).toMatchObject({ type: 'sankey', links: [{ source: '1_a', target: '2_b', value: 3 }] });
    const m = chartOption({ type: 'map', items: [{ label: 'US', code: 'US', value: 5 }] }, { dark: false }) as { series: { map: string; data: unknown[] }[] };
    expect(m.series[0]).toMatchObject({ map: 'world', data: [{ name: 'US', value: 5 }] });
  });
  it('escapes text that goes into tooltips', () => {
    expect(escapeHtml('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('what a tile or a map can show', () => {
  it('a tile keeps the busiest links of a path diagram and only their nodes', () => {
    const model: ChartModel = {
      type: 'sankey',
      nodes: ['1_a', '2_b', '2_c', '3_d'].map((name, i) => ({ name, label: name, step: i })),
      links: [
        { source: '1_a', target: '2_b', value: 5 },
        { source: '1_a', target: '2_c', value: 1 },
        { source: '2_b', target: '3_d', value: 3 },
      ],
    };
    const trimmed = busiestLinks(model, 2);
    if (trimmed.type !== 'sankey') throw new Error();
    expect(trimmed.links.map((l) => l.value)).toEqual([5, 3]);
    expect(trimmed.nodes.map((n) => n.name)).toEqual(['1_a', '2_b', '3_d']);
    expect(busiestLinks(model, 10)).toBe(model);
  });
  it('a country across the antimeridian stays on one side instead of striping the map', () => {
    expect(pinToOneSide([[170, 60], [179, 65], [-179, 66], [175, 70]])).toEqual([[170, 60], [179, 65], [180, 66], [175, 70]]);
    const plain: [number, number][] = [[1, 1], [2, 2], [3, 1]];
    expect(pinToOneSide(plain)).toBe(plain);
  });
});

describe('numbers', () => {
  it('formats counts, shares and durations', () => {
    expect(formatNumber(1234567)).toMatch(/1.234.567/);
    expect(formatNumber(12.3456)).toMatch(/12.35/);
    expect(formatNumber(40, 'percent')).toBe('40%');
    expect(formatNumber(3600, 'duration')).toBe('1h');
    expect(formatNumber(null)).toBe('—');
  });
  it('says how much a number changed', () => {
    expect(changeWords(120, 100)).toBe('+20%');
    expect(changeWords(95, 100)).toBe('−5%');
    expect(changeWords(5, 0)).toBeNull();
  });
});
