// What the usage page computes from the API's answer: words, money, the months to pick from, and
// the chart's series. Kept apart from the components so that vitest can read it.
import type { BillingLimitState, ProjectUsage, UsageKind } from '../../api';

/** The kinds stacked in the daily chart, bottom first, with the words and colours the page uses. */
export const CHART_KINDS: { kind: UsageKind; label: string; color: string }[] = [
  { kind: 'identified', label: 'Identified', color: '#4c6ef5' },
  { kind: 'anonymous', label: 'Anonymous', color: '#12b886' },
  { kind: 'not_billed', label: 'Not billed', color: '#adb5bd' },
  { kind: 'dropped_identified', label: 'Dropped (identified limit)', color: '#fa5252' },
  { kind: 'dropped_anonymous', label: 'Dropped (anonymous limit)', color: '#ff8787' },
];

export const KIND_WORDS: Record<UsageKind, string> = {
  identified: 'Identified events',
  anonymous: 'Anonymous events',
  not_billed: 'Not billed',
  dropped_identified: 'Dropped: identified limit',
  dropped_anonymous: 'Dropped: anonymous limit',
  could_be_anonymous: 'Identified before identify()',
};

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const count = new Intl.NumberFormat('en-US');

export function money(value: number): string {
  return usd.format(value);
}

export function formatCount(value: number): string {
  return count.format(value);
}

/** "2026-12" → "December 2026". */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** The current month (UTC) and the eleven before it, newest first: what the month picker offers. */
export function recentMonths(now: Date = new Date(), count = 12): string[] {
  const months: string[] = [];
  for (let i = 0; i < count; i++) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    months.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return months;
}

export function isMonth(value: string | null): value is string {
  return !!value && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

/** Nothing counted at all in the month: the page teaches instead of charting zeros. */
export function isEmpty(usage: ProjectUsage): boolean {
  return Object.values(usage.counts).every((n) => n === 0);
}

/** The chart's stacked series: one per kind that has any events, a value per day. */
export function dailySeries(usage: ProjectUsage) {
  const days = usage.daily.map((d) => d.date.slice(8));
  const series = CHART_KINDS.filter(({ kind }) => usage.daily.some((d) => d[kind] > 0)).map(({ kind, label, color }) => ({
    kind,
    name: label,
    color,
    data: usage.daily.map((d) => d[kind]),
  }));
  return { days, series };
}

/** What switching to identified_only would save, in a sentence; null when there is nothing to save. */
export function savingWords(usage: ProjectUsage): string | null {
  const moved = usage.counts.could_be_anonymous;
  if (moved <= 0) return null;
  const saving = usage.identified_only.saving ?? 0;
  const projected = usage.projected_identified_only.saving ?? 0;
  const base =
    `Of the ${formatCount(usage.counts.identified)} identified events of ${monthLabel(usage.month)}, ${formatCount(moved)} came from ` +
    `people who had not been identified yet. Sent as anonymous events, the month would cost ${money(usage.identified_only.cost.total)} ` +
    `instead of ${money(usage.cost.total)}`;
  if (saving <= 0 && projected <= 0) return `${base}: within the free allowance, so no saving yet.`;
  return usage.complete
    ? `${base}: a saving of ${money(saving)}.`
    : `${base}: a saving of ${money(saving)} so far, about ${money(projected)} by the month's end.`;
}

/** A limit as the editor holds it: digits, or empty for no limit. */
export function parseLimit(text: string): number | null | 'invalid' {
  const t = text.replace(/[\s,_]/g, '');
  if (t === '') return null;
  if (!/^\d+$/.test(t)) return 'invalid';
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : 'invalid';
}

export function limitWords(state: BillingLimitState): string {
  if (state.limit === null) return 'No limit';
  const share = state.limit > 0 ? Math.round((100 * state.used) / state.limit) : 100;
  switch (state.state) {
    case 'reached':
      return `Reached: further events are dropped until the month ends${state.dropped ? ` (${formatCount(state.dropped)} so far)` : ''}`;
    case 'warning':
      return `${share}% used`;
    default:
      return `${share}% used`;
  }
}
