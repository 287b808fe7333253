// How property values look, what type they are, and the words for PostHog's `$` keys.
import type { Json } from '../api';

export type ValueKind = 'string' | 'number' | 'boolean' | 'datetime' | 'list' | 'object' | 'null';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The type a person sees in the properties table, read from the value itself. */
export function valueKind(value: Json | undefined): ValueKind {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  switch (typeof value) {
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'object';
    default:
      return ISO_DATE.test(value) && !Number.isNaN(Date.parse(value)) ? 'datetime' : 'string';
  }
}

/** One line of text for a value in a table cell. */
export function formatValue(value: Json | undefined): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}

/**
 * What "add property" stores: a valid JSON text becomes that value (42, true, null, [1,2],
 * {"a":1}, "quoted"), anything else stays the string typed. Empty input is the empty string.
 */
export function parseValueInput(text: string): Json {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  try {
    return JSON.parse(trimmed) as Json;
  } catch {
    return text;
  }
}

/** The text an inline editor starts from, so that parseValueInput gives the value back. */
export function valueToInput(value: Json | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') {
    // A string that reads as JSON ("42", "true") must be quoted to stay a string.
    try {
      JSON.parse(value);
      return JSON.stringify(value);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value);
}

const LABELS: Record<string, string> = {
  $geoip_city_name: 'City',
  $geoip_country_name: 'Country',
  $geoip_country_code: 'Country code',
  $geoip_continent_name: 'Continent',
  $geoip_continent_code: 'Continent code',
  $geoip_subdivision_1_name: 'Region',
  $geoip_subdivision_1_code: 'Region code',
  $geoip_postal_code: 'Postal code',
  $geoip_latitude: 'Latitude',
  $geoip_longitude: 'Longitude',
  $geoip_time_zone: 'Time zone',
  $browser: 'Browser',
  $browser_version: 'Browser version',
  $os: 'OS',
  $os_version: 'OS version',
  $device_type: 'Device type',
  $device: 'Device',
  $current_url: 'Current URL',
  $pathname: 'Path name',
  $host: 'Host',
  $referrer: 'Referrer',
  $referring_domain: 'Referring domain',
  $initial_referrer: 'Initial referrer',
  $initial_referring_domain: 'Initial referring domain',
  $initial_current_url: 'Initial URL',
  $initial_pathname: 'Initial path name',
  $initial_browser: 'Initial browser',
  $initial_os: 'Initial OS',
  $initial_device_type: 'Initial device type',
  $initial_utm_source: 'Initial UTM source',
  $initial_utm_medium: 'Initial UTM medium',
  $initial_utm_campaign: 'Initial UTM campaign',
  $initial_geoip_city_name: 'Initial city',
  $initial_geoip_country_name: 'Initial country',
  $utm_source: 'UTM source',
  $utm_medium: 'UTM medium',
  $utm_campaign: 'UTM campaign',
  $screen_name: 'Screen name',
  $screen_height: 'Screen height',
  $screen_width: 'Screen width',
  $viewport_height: 'Viewport height',
  $viewport_width: 'Viewport width',
  $lib: 'Library',
  $lib_version: 'Library version',
  $session_id: 'Session ID',
  $window_id: 'Window ID',
  $pageview_id: 'Page view ID',
  $ip: 'IP address',
  $timezone: 'Timezone',
  $browser_language: 'Browser language',
  $raw_user_agent: 'User agent',
  $creator_event_uuid: 'Creator event',
  $anon_distinct_id: 'Anonymous distinct ID',
  $device_id: 'Device ID',
  $insert_id: 'Insert ID',
  $event_type: 'Event type',
  $el_text: 'Element text',
  $app_name: 'App name',
  $app_version: 'App version',
  email: 'Email',
  name: 'Name',
};

/** A friendly label where one is known; null when the raw key is all there is. */
export function propertyLabel(key: string): string | null {
  return LABELS[key] ?? null;
}

/** The person's display name, from what the API gives or the usual properties. */
export function personDisplayName(person: { name?: string; properties?: Record<string, Json>; distinct_ids?: string[] }): string {
  const p = person.properties ?? {};
  const str = (v: Json | undefined) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  const full = [str(p.first_name), str(p.last_name)].filter(Boolean).join(' ');
  // a name the person gave beats the server's `name`, which is their email or an id
  return str(p.name) ?? (full || null) ?? str(person.name) ?? str(p.email) ?? primaryDistinctId(person.distinct_ids ?? []) ?? 'Anonymous';
}

const UUID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The distinct id worth showing first: one a person chose (an email, a user id) over a device UUID. */
export function primaryDistinctId(ids: string[]): string | undefined {
  return ids.find((id) => !UUID_LIKE.test(id)) ?? ids[0];
}

/** One letter for the avatar. */
export function initialOf(name: string): string {
  const ch = name.trim().match(/[\p{L}\p{N}]/u);
  return ch ? ch[0].toUpperCase() : '?';
}

/** "Lisbon, Portugal" from whichever geo properties are there. */
export function locationOf(p: Record<string, Json> | undefined): string | null {
  if (!p) return null;
  const parts = [p.$geoip_city_name, p.$geoip_country_name].filter((v) => typeof v === 'string' && v) as string[];
  return parts.length ? parts.join(', ') : null;
}

/** "Chrome · Mac OS X · Desktop". */
export function deviceOf(p: Record<string, Json> | undefined): string | null {
  if (!p) return null;
  const parts = [p.$browser, p.$os, p.$device_type].filter((v) => typeof v === 'string' && v) as string[];
  return parts.length ? parts.join(' · ') : null;
}
