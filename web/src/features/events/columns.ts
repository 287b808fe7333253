import type { SightlineEvent } from '../../api';
import { formatValue, propertyLabel } from '../../lib/properties';

export const EVENT_BUILTINS: Record<string, string> = {
  event: 'Event',
  person: 'Person',
  url: 'URL / screen',
  city: 'City',
  browser: 'Browser',
  time: 'Time',
};

export const DEFAULT_EVENT_COLUMNS = ['event', 'person', 'url', 'city', 'browser', 'time'];

/** Columns named `person.<key>` show a person property; any other name is an event property. */
export function describeEventColumn(column: string): string {
  if (EVENT_BUILTINS[column]) return EVENT_BUILTINS[column];
  if (column.startsWith('person.')) {
    const key = column.slice('person.'.length);
    return `Person · ${propertyLabel(key) ?? key}`;
  }
  return propertyLabel(column) ?? column;
}

/** The text of a non-built-in column for one event. */
export function eventColumnText(event: SightlineEvent, column: string): string | null {
  const source = column.startsWith('person.') ? event.person_properties : event.properties;
  const key = column.startsWith('person.') ? column.slice('person.'.length) : column;
  const v = source?.[key];
  return v === undefined ? null : formatValue(v);
}

/**
 * Whether the event's person has a profile page: an event sent with
 * `$process_person_profile: false` (posthog-js's anonymous events) carries a person id but no person.
 */
export function hasProfile(event: SightlineEvent): boolean {
  return !!event.person_id && event.properties?.$process_person_profile !== false;
}

export function urlOrScreen(event: SightlineEvent): string | null {
  const p = event.properties ?? {};
  const v = p.$current_url ?? p.$screen_name ?? p.$pathname;
  return typeof v === 'string' && v ? v : null;
}
