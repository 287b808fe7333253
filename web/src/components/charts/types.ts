// What a chart shows, independent of ECharts: every chart is drawn from one of these models and
// has a table of the same numbers (TableModel). `D` is what a click on a point hands back (the
// insight pages put the drill-down target there).

export type Format = 'number' | 'decimal' | 'percent' | 'duration';

export interface XYSeries<D = unknown> {
  name: string;
  data: number[];
  /** One per point; null where the point cannot be opened. */
  drill?: (D | null)[];
  /** A previous period, drawn dashed and lighter. */
  dashed?: boolean;
  /** A fixed colour (lifecycle statuses), else the theme's palette at colorIndex. */
  color?: string;
  colorIndex?: number;
  /** Bars of the same stack name sit on each other. */
  stack?: string;
  /** Drawn faint (the dropped-off part of a funnel step). */
  faded?: boolean;
  /** Labels drawn on the bars, one per point. */
  labels?: string[];
}

export interface Item<D = unknown> {
  label: string;
  value: number;
  drill?: D | null;
  /** ISO 3166-1 alpha-2, for the map. */
  code?: string;
}

export interface NumberItem {
  label: string;
  value: number;
  previous?: number | null;
}

export interface SankeyModel {
  nodes: { name: string; label: string; step: number }[];
  links: { source: string; target: string; value: number; averageMs?: number | null }[];
}

export type ChartModel<D = unknown> =
  | { type: 'line' | 'bar' | 'stacked' | 'area'; categories: string[]; series: XYSeries<D>[]; format?: Format; xName?: string; yName?: string }
  | { type: 'pie' | 'hbar' | 'map'; items: Item<D>[]; format?: Format }
  | { type: 'number'; items: NumberItem[]; format?: Format }
  | { type: 'funnel'; steps: string[]; series: XYSeries<D>[] }
  | { type: 'grid' }
  | ({ type: 'sankey' } & SankeyModel)
  | { type: 'table' }
  | { type: 'empty'; title: string; message: string };

export interface Column {
  key: string;
  label: string;
  /** Numbers are right-aligned; text columns are not. */
  numeric?: boolean;
}

export interface Cell<D = unknown> {
  value: number | string | null;
  format?: Format;
  drill?: D | null;
  /** 0..1, shades the cell (retention). */
  heat?: number;
  /** Shown under the value (the retention grid shows the count under the percentage). */
  note?: string;
}

export interface Row<D = unknown> {
  key: string;
  cells: Cell<D>[];
}

export interface TableModel<D = unknown> {
  columns: Column[];
  rows: Row<D>[];
}

export interface Viz<D = unknown> {
  chart: ChartModel<D>;
  table: TableModel<D>;
  /** A sentence under the chart ("40% went all the way"). */
  summary?: string;
}
