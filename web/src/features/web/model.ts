// The web analytics page's state and queries, without React: the URL's parameters → the query JSON
// of each tile, and the answers → what the tiles show. Every tile is one query through /query/.
import type { PropertyFilter } from '../../api';
import type { DateRangeValue } from '../../lib/dateRange';

/** A dimension of the tables: PostHog's `breakdownBy` name, its words, and the filter key that selects by it. */
export interface Dimension {
  breakdown: string;
  label: string;
  /** What the table's first column is called. */
  column: string;
  key: string;
  bounce: boolean;
}

const d = (breakdown: string, label: string, column: string, key: string, bounce = true): Dimension => ({ breakdown, label, column, key, bounce });

export const DIMENSIONS: Record<string, Dimension> = {
  Page: d('Page', 'Pages', 'Page', '$pathname', false),
  InitialPage: d('InitialPage', 'Entry pages', 'Entry page', '$entry_pathname'),
  ExitPage: d('ExitPage', 'Exit pages', 'Exit page', '$end_pathname', false),
  InitialChannelType: d('InitialChannelType', 'Channels', 'Channel', '$channel_type'),
  InitialReferringDomain: d('InitialReferringDomain', 'Referrers', 'Referring domain', '$entry_referring_domain'),
  InitialUTMSource: d('InitialUTMSource', 'UTM source', 'UTM source', '$entry_utm_source'),
  InitialUTMMedium: d('InitialUTMMedium', 'UTM medium', 'UTM medium', '$entry_utm_medium'),
  InitialUTMCampaign: d('InitialUTMCampaign', 'UTM campaign', 'UTM campaign', '$entry_utm_campaign'),
  InitialUTMContent: d('InitialUTMContent', 'UTM content', 'UTM content', '$entry_utm_content'),
  InitialUTMTerm: d('InitialUTMTerm', 'UTM term', 'UTM term', '$entry_utm_term'),
  DeviceType: d('DeviceType', 'Device types', 'Device type', '$device_type'),
  Browser: d('Browser', 'Browsers', 'Browser', '$browser'),
  OS: d('OS', 'Operating systems', 'OS', '$os'),
  Viewport: d('Viewport', 'Screen sizes', 'Screen size', '$viewport'),
  Country: d('Country', 'Countries', 'Country', '$geoip_country_code'),
  Region: d('Region', 'Regions', 'Region', '$geoip_subdivision_1_name'),
  City: d('City', 'Cities', 'City', '$geoip_city_name'),
  Language: d('Language', 'Languages', 'Language', '$browser_language'),
  Timezone: d('Timezone', 'Timezones', 'Timezone', '$timezone'),
};

/** The tables of the page, each a card with tabs; the first tab shows by default. */
export const CARDS: { id: string; title: string; tabs: string[] }[] = [
  { id: 'pages', title: 'Pages', tabs: ['Page', 'InitialPage', 'ExitPage'] },
  {
    id: 'sources',
    title: 'Sources',
    tabs: ['InitialChannelType', 'InitialReferringDomain', 'InitialUTMSource', 'InitialUTMMedium', 'InitialUTMCampaign', 'InitialUTMContent', 'InitialUTMTerm'],
  },
  { id: 'devices', title: 'Devices', tabs: ['DeviceType', 'Browser', 'OS', 'Viewport'] },
  { id: 'places', title: 'Places', tabs: ['Country', 'Region', 'City', 'Language', 'Timezone'] },
];

/** The dimension a filter key selects by (for the chips' words). */
export function dimensionOfKey(key: string): Dimension | undefined {
  return Object.values(DIMENSIONS).find((x) => x.key === key);
}

/** The page's state as the URL holds it. */
export interface WebState {
  range: DateRangeValue;
  compare: boolean;
  filters: PropertyFilter[];
  /** Each card's tab (dimension name). */
  tabs: Record<string, string>;
  /** An event to count as a conversion, if any. */
  goal: string | null;
}

export function readState(params: URLSearchParams, decodeFilters: (raw: string | null) => PropertyFilter[]): WebState {
  const tabs: Record<string, string> = {};
  for (const card of CARDS) {
    const t = params.get(`${card.id}_tab`);
    tabs[card.id] = t && card.tabs.includes(t) ? t : card.tabs[0];
  }
  return {
    range: { date_from: params.get('date_from') ?? '-7d', date_to: params.get('date_to') ?? null },
    compare: params.get('compare') !== '0',
    filters: decodeFilters(params.get('filters')),
    tabs,
    goal: params.get('goal') || null,
  };
}

/** The fields every tile's query shares. */
function common(s: WebState) {
  return {
    dateRange: { date_from: s.range.date_from ?? '-7d', date_to: s.range.date_to ?? null },
    properties: s.filters,
    compareFilter: { compare: s.compare },
  };
}

const goalJson = (s: WebState) => (s.goal ? { kind: 'CustomEventConversionGoal', customEventName: s.goal } : undefined);

export const overviewQuery = (s: WebState) => ({ kind: 'WebOverviewQuery', ...common(s), conversionGoal: goalJson(s) });

export const trendQuery = (s: WebState) => ({
  kind: 'WebTrendsQuery',
  dateRange: common(s).dateRange,
  properties: s.filters,
  interval: s.range.date_from === 'dStart' || s.range.date_from === '-1dStart' ? 'hour' : 'day',
  metrics: ['UniqueUsers', 'PageViews'],
});

export const tableQuery = (s: WebState, breakdown: string, limit: number) => ({
  kind: 'WebStatsTableQuery',
  ...common(s),
  breakdownBy: breakdown,
  limit,
  conversionGoal: goalJson(s),
});

export const goalsQuery = (s: WebState) => ({ kind: 'WebGoalsQuery', ...common(s), goals: s.goal ? [goalJson(s)] : undefined });

export const liveQuery = () => ({ kind: 'WebLiveVisitorsQuery' });

/** The filter that a click on a table value adds: the value, or "not set" for an empty one. */
export function drillFilter(dimension: Dimension, value: string | null): PropertyFilter {
  return value === null
    ? { key: dimension.key, operator: 'is_not_set', value: 'is_not_set', type: 'event' }
    : { key: dimension.key, operator: 'exact', value: [value], type: 'event' };
}

/** The filters with one added; a filter on the same key is replaced, so clicking another value moves the drill-down. */
export function withFilter(filters: PropertyFilter[], f: PropertyFilter): PropertyFilter[] {
  return [...filters.filter((x) => x.key !== f.key), f];
}

/** A chip's words: "Browser is Chrome". */
export function chipWords(f: PropertyFilter): string {
  const dim = dimensionOfKey(f.key);
  const name = dim?.column ?? f.key;
  if (f.operator === 'is_not_set') return `${name} is not set`;
  const values = Array.isArray(f.value) ? f.value : [f.value];
  const shown = values.map((v) => (dim?.breakdown === 'Country' && typeof v === 'string' ? countryName(v) : String(v))).join(' or ');
  return f.operator === 'exact' ? `${name} is ${shown}` : `${name} ${f.operator.replace(/_/g, ' ')} ${shown}`;
}

/** An overview tile as the API answers it. */
export interface OverviewItem {
  key: string;
  kind: 'unit' | 'duration_s' | 'percentage';
  value: number | null;
  previous: number | null;
  changeFromPreviousPct: number | null;
  isIncreaseBad: boolean;
}

export const TILE_LABELS: Record<string, string> = {
  visitors: 'Visitors',
  views: 'Page views',
  sessions: 'Sessions',
  'session duration': 'Session duration',
  'bounce rate': 'Bounce rate',
  'unique conversions': 'Converted visitors',
  'total conversions': 'Conversions',
  'conversion rate': 'Conversion rate',
};

/** Whether a change is good news: up is good unless the tile says an increase is bad. */
export function changeTone(item: OverviewItem): 'good' | 'bad' | 'flat' {
  const c = item.changeFromPreviousPct;
  if (c === null || c === 0) return 'flat';
  return c > 0 !== item.isIncreaseBad ? 'good' : 'bad';
}

/** One table row: the value, then [current, previous] per column. */
export type TableRow = [string | null, ...([number | null, number | null] | null)[]];

export interface TableAnswer {
  columns: string[];
  results: TableRow[];
  hasMore: boolean;
}

const REGION_NAMES = typeof Intl !== 'undefined' && 'DisplayNames' in Intl ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;

/** "Germany" for "DE"; the code itself when unknown. */
export function countryName(code: string): string {
  try {
    return REGION_NAMES?.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** The flag emoji of a two-letter country code. */
export function flag(code: string): string {
  if (!/^[A-Za-z]{2}$/.test(code)) return '';
  return String.fromCodePoint(...[...code.toUpperCase()].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}

/** How a table shows a value: a country by its name, an empty value as "(none)". */
export function valueWords(dimension: Dimension, value: string | null): string {
  if (value === null || value === '') return '(none)';
  if (dimension.breakdown === 'Country') return `${flag(value)} ${countryName(value)}`.trim();
  if (value === '$direct') return 'Direct (no referrer)';
  return value;
}
