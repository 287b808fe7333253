// Date ranges as the query engine reads them (relative "-7d", "mStart", or absolute dates), the
// presets people pick from, and the words for a range.

export interface DateRangeValue {
  date_from?: string | null;
  date_to?: string | null;
}

export interface DatePreset {
  key: string;
  label: string;
  value: DateRangeValue;
}

export const DATE_PRESETS: DatePreset[] = [
  { key: 'today', label: 'Today', value: { date_from: 'dStart' } },
  { key: 'yesterday', label: 'Yesterday', value: { date_from: '-1dStart', date_to: '-1dEnd' } },
  { key: '7d', label: 'Last 7 days', value: { date_from: '-7d' } },
  { key: '14d', label: 'Last 14 days', value: { date_from: '-14d' } },
  { key: '30d', label: 'Last 30 days', value: { date_from: '-30d' } },
  { key: '90d', label: 'Last 90 days', value: { date_from: '-90d' } },
  { key: 'mtd', label: 'Month to date', value: { date_from: 'mStart' } },
  { key: 'last_month', label: 'Last month', value: { date_from: '-1mStart', date_to: '-1mEnd' } },
  { key: 'ytd', label: 'Year to date', value: { date_from: 'yStart' } },
  { key: 'all', label: 'All time', value: { date_from: 'all' } },
];

const norm = (v: string | null | undefined) => (v === undefined || v === null || v === '' ? null : v);

export function presetOf(range: DateRangeValue | null | undefined): DatePreset | null {
  if (!range) return null;
  return DATE_PRESETS.find((p) => norm(p.value.date_from) === norm(range.date_from) && norm(p.value.date_to) === norm(range.date_to)) ?? null;
}

const ABSOLUTE = /^\d{4}-\d{2}-\d{2}$/;
export const isAbsoluteDate = (v: string | null | undefined): v is string => !!v && ABSOLUTE.test(v);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function dayWords(iso: string, withYear: boolean): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${MONTHS[m - 1]} ${d}${withYear ? `, ${y}` : ''}`;
}

/** "Last 7 days", "Nov 3 – Dec 1, 2026", "Since Nov 3, 2026", "Last 12 weeks". */
export function dateRangeLabel(range: DateRangeValue | null | undefined, fallback = 'Last 7 days'): string {
  if (!range || (!norm(range.date_from) && !norm(range.date_to))) return fallback;
  const preset = presetOf(range);
  if (preset) return preset.label;
  const from = norm(range.date_from);
  const to = norm(range.date_to);
  if (isAbsoluteDate(from) && isAbsoluteDate(to)) {
    const sameYear = from.slice(0, 4) === to.slice(0, 4);
    return `${dayWords(from, !sameYear)} – ${dayWords(to, true)}`;
  }
  if (isAbsoluteDate(from) && !to) return `Since ${dayWords(from, true)}`;
  const rel = from && /^-(\d+)([hdwmqy])$/.exec(from);
  if (rel && !to) {
    const n = Number(rel[1]);
    const unit = { h: 'hour', d: 'day', w: 'week', m: 'month', q: 'quarter', y: 'year' }[rel[2]]!;
    return `Last ${n} ${unit}${n === 1 ? '' : 's'}`;
  }
  return [from, to].filter(Boolean).join(' → ');
}

/** Today in a time zone as YYYY-MM-DD (the custom range's default end). */
export function todayIn(timeZone?: string, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  return parts;
}
