import { describe, expect, it } from 'vitest';
import type { DashboardTile } from '../../api/insights';
import { defaultQuery } from '../insights/query/model';
import type { TrendsQuery } from '../insights/query/types';
import { applyDashboardFilters, layoutChanges, newTextLayout, tilesToLayout } from './model';

const tile = (id: number, sm?: { x: number; y: number; w: number; h: number }): DashboardTile => ({ id, layouts: sm ? { sm } : {}, color: null, text: null, insight: null });

describe('dashboard filters over a tile', () => {
  const q: TrendsQuery = { ...(defaultQuery('TrendsQuery') as TrendsQuery), properties: [{ key: 'a', operator: 'exact', value: ['1'], type: 'event' }] };
  it('a date range replaces the insight’s; property filters are added to its own', () => {
    const out = applyDashboardFilters(q, { date_from: '-30d', properties: [{ key: 'plan', operator: 'exact', value: ['pro'], type: 'person' }] });
    expect(out.dateRange).toEqual({ date_from: '-30d' });
    expect(out.properties?.map((p) => p.key)).toEqual(['a', 'plan']);
  });
  it('no filters leave the query as it is', () => {
    expect(applyDashboardFilters(q, {})).toBe(q);
    expect(applyDashboardFilters(q, { date_from: null, properties: [] })).toBe(q);
  });
});

describe('the grid', () => {
  it('places tiles at their layout, and those without one below', () => {
    const layout = tilesToLayout([tile(1, { x: 0, y: 0, w: 6, h: 5 }), tile(2), tile(3, { x: 6, y: 0, w: 20, h: 1 })]);
    expect(layout.map(({ i, x, y, w, h }) => [i, x, y, w, h])).toEqual([
      ['1', 0, 0, 6, 5],
      ['2', 6, 5, 6, 5],
      ['3', 6, 0, 12, 2],
    ]);
  });
  it('patches only the tiles that moved or changed size', () => {
    const tiles = [tile(1, { x: 0, y: 0, w: 6, h: 5 }), tile(2, { x: 6, y: 0, w: 6, h: 5 })];
    expect(layoutChanges(tiles, [{ i: '1', x: 0, y: 0, w: 6, h: 5 }, { i: '2', x: 0, y: 5, w: 12, h: 4 }])).toEqual([
      { id: 2, layouts: { sm: { x: 0, y: 5, w: 12, h: 4 } } },
    ]);
  });
  it('puts new text below everything, as tall as its text', () => {
    const tiles = [tile(1, { x: 0, y: 0, w: 6, h: 5 }), tile(2, { x: 6, y: 2, w: 6, h: 5 })];
    expect(newTextLayout(tiles, 'One line')).toEqual({ x: 0, y: 7, w: 6, h: 2 });
    expect(newTextLayout([], 'a\n'.repeat(30)).h).toBe(6);
  });
});
