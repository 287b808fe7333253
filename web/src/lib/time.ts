// Dates as people read them: "3 min ago" in the row, the exact time on hover; durations "2m 13s".

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function toDate(value: string | number | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "just now", "3 min ago", "5 h ago", "yesterday", "4 days ago", then the date. */
export function relativeTime(value: string | number | Date | null | undefined, now: number = Date.now()): string {
  const d = toDate(value);
  if (!d) return '—';
  const diff = now - d.getTime();
  const future = diff < 0;
  const abs = Math.abs(diff);
  const ago = (s: string) => (future ? `in ${s}` : `${s} ago`);
  if (abs < 45_000) return future ? 'in a moment' : 'just now';
  if (abs < HOUR) return ago(`${Math.max(1, Math.round(abs / MINUTE))} min`);
  if (abs < DAY) return ago(`${Math.round(abs / HOUR)} h`);
  const days = Math.round(abs / DAY);
  if (days === 1) return future ? 'tomorrow' : 'yesterday';
  if (days < 30) return ago(`${days} days`);
  return shortDate(d);
}

// Making a formatter costs far more than using one (toLocaleString makes one per call): a list of
// a hundred rows formats hundreds of times, so each kind is made once.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(name: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = formatters.get(name);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, options);
    formatters.set(name, f);
  }
  return f;
}

export function shortDate(value: string | number | Date | null | undefined): string {
  const d = toDate(value);
  if (!d) return '—';
  const sameYear = d.getFullYear() === new Date().getFullYear();
  return sameYear
    ? formatter('day', { day: 'numeric', month: 'short' }).format(d)
    : formatter('day-year', { day: 'numeric', month: 'short', year: 'numeric' }).format(d);
}

/** The full instant with seconds and the zone, for tooltips and detail views. */
export function absoluteTime(value: string | number | Date | null | undefined, timeZone?: string): string {
  const d = toDate(value);
  if (!d) return '—';
  return formatter(`absolute ${timeZone ?? ''}`, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(d);
}

/** "14:03:27" — a time of day in a list already grouped by day or session. */
export function clockTime(value: string | number | Date | null | undefined): string {
  const d = toDate(value);
  if (!d) return '—';
  return formatter('clock', { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(d);
}

/** "850 ms", "42s", "2m 13s", "1h 5m", "3d 4h". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const totalSeconds = Math.floor(ms / 1000);
  if (totalSeconds < 60) return `${totalSeconds}s`;
  const days = Math.floor(totalSeconds / 86400);
  const hours = Math.floor((totalSeconds % 86400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (days > 0) return hours ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return minutes ? `${hours}h ${minutes}m` : `${hours}h`;
  return seconds ? `${minutes}m ${seconds}s` : `${minutes}m`;
}

/** A `datetime-local` input's value (local wall time) as an ISO instant, and back. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function isoToLocalInput(iso: string | null | undefined): string {
  const d = toDate(iso);
  if (!d) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
