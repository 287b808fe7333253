// Numbers on charts and in their tables, the same way in both.
import { formatDuration } from '../../lib/time';
import type { Format } from './types';

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

export function formatNumber(value: number | null | undefined, format: Format = 'number'): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  switch (format) {
    case 'percent':
      return `${decimal.format(value)}%`;
    case 'duration':
      return formatDuration(value * 1000);
    case 'decimal':
      return decimal.format(value);
    default:
      return Number.isInteger(value) ? integer.format(value) : decimal.format(value);
  }
}

/** Axis ticks: 1.2K, 3.4M. */
export function formatAxis(value: number, format: Format = 'number'): string {
  if (format === 'percent') return `${decimal.format(value)}%`;
  if (format === 'duration') return formatDuration(value * 1000);
  return Math.abs(value) >= 10_000 ? compact.format(value) : decimal.format(value);
}

/** "+12%" or "−8%": the change from the previous period, or null when there is none to compare with. */
export function changeWords(current: number, previous: number | null | undefined): string | null {
  if (previous === null || previous === undefined || previous === 0) return null;
  const change = ((current - previous) / Math.abs(previous)) * 100;
  const rounded = Math.abs(change) >= 10 ? Math.round(change) : Math.round(change * 10) / 10;
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : ''}${Math.abs(rounded)}%`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Dec 3", "Dec 3 14:00", "Dec 2026", as the engine's bucket strings are local dates already. */
export function bucketLabel(day: string, interval: 'hour' | 'day' | 'week' | 'month' = 'day', withYear = false): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?/.exec(day);
  if (!m) return day;
  const [, y, mo, d, h, mi] = m;
  const month = MONTHS[Number(mo) - 1] ?? mo;
  if (interval === 'month') return `${month} ${y}`;
  const date = `${month} ${Number(d)}${withYear ? `, ${y}` : ''}`;
  if (interval === 'hour' && h !== undefined) return `${date} ${h}:${mi}`;
  return date;
}
