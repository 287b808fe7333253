// What a dashboard does to its tiles: its filters over each insight's query (as the server's
// DashboardFilters does, so a drill-down from a tile asks the same question), and the grid layout.
import type { DashboardFilters, DashboardTile, TileLayout, TilePatch } from '../../api/insights';
import type { InsightFilter, InsightQuery } from '../insights/query/types';

/** A dashboard date range replaces the insight's; dashboard property filters are added to its own. */
export function applyDashboardFilters(query: InsightQuery, filters: DashboardFilters | null | undefined): InsightQuery {
  if (!filters) return query;
  let next: InsightQuery = query;
  if (filters.date_from) {
    next = { ...next, dateRange: { date_from: filters.date_from, ...(filters.date_to ? { date_to: filters.date_to } : {}) } };
  }
  if (filters.properties?.length) {
    next = { ...next, properties: [...(next.properties ?? []), ...(filters.properties as InsightFilter[])] };
  }
  return next;
}

export const hasDashboardFilters = (f: DashboardFilters | null | undefined) => !!f && (!!f.date_from || !!f.properties?.length);

export const GRID_COLUMNS = 12;
export const DEFAULT_LAYOUT: TileLayout = { x: 0, y: 0, w: 6, h: 5 };

export interface GridItem {
  i: string;
  x: number;
  y: number;
  w: number;
  h: number;
  minW?: number;
  minH?: number;
}

/** The tiles as grid items, each at its `sm` layout (tiles without one go after the others). */
export function tilesToLayout(tiles: DashboardTile[]): GridItem[] {
  let bottom = 0;
  for (const t of tiles) {
    const l = t.layouts?.sm;
    if (l) bottom = Math.max(bottom, l.y + l.h);
  }
  return tiles.map((t, idx) => {
    const l = t.layouts?.sm;
    const fallback = { ...DEFAULT_LAYOUT, x: (idx % 2) * 6, y: bottom + Math.floor(idx / 2) * DEFAULT_LAYOUT.h };
    const { x, y, w, h } = l ?? fallback;
    return { i: String(t.id), x, y, w: Math.max(2, Math.min(GRID_COLUMNS, w)), h: Math.max(2, h), minW: 3, minH: t.text ? 2 : 3 };
  });
}

/** The tiles whose place or size the grid changed, as PATCH tiles entries. */
export function layoutChanges(tiles: DashboardTile[], layout: readonly GridItem[]): TilePatch[] {
  const byId = new Map(tiles.map((t) => [String(t.id), t]));
  const patches: TilePatch[] = [];
  for (const item of layout) {
    const tile = byId.get(item.i);
    if (!tile) continue;
    const now = { x: item.x, y: item.y, w: item.w, h: item.h };
    const was = tile.layouts?.sm;
    if (!was || was.x !== now.x || was.y !== now.y || was.w !== now.w || was.h !== now.h) {
      patches.push({ id: tile.id, layouts: { ...tile.layouts, sm: now } as Record<string, TileLayout> });
    }
  }
  return patches;
}

/** Where a new text tile goes (below everything) and how tall, by how much text it holds. */
export function newTextLayout(tiles: DashboardTile[], body: string): TileLayout {
  const bottom = tilesToLayout(tiles).reduce((b, t) => Math.max(b, t.y + t.h), 0);
  const lines = body.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(line.length / 70)), 0);
  return { x: 0, y: bottom, w: 6, h: Math.min(6, Math.max(2, Math.ceil(lines / 3) + 1)) };
}

export const REFRESH_CHOICES: { value: string; label: string }[] = [
  { value: '0', label: 'Off' },
  { value: '60', label: 'Every minute' },
  { value: '300', label: 'Every 5 minutes' },
  { value: '900', label: 'Every 15 minutes' },
  { value: '1800', label: 'Every 30 minutes' },
  { value: '3600', label: 'Every hour' },
];
