// How structures sit in the URL: JSON for filters, comma lists for columns. No React here: the
// app's early start (early.ts) reads the URL with these before the app has loaded.
import type { PropertyFilter } from '../api';

export function encodeJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value) && value.length === 0) return null;
  return JSON.stringify(value);
}

export function decodeJson<T>(raw: string | null, fallback: T, check?: (v: unknown) => v is T): T {
  if (raw === null || raw === '') return fallback;
  try {
    const value = JSON.parse(raw) as unknown;
    if (check && !check(value)) return fallback;
    return value as T;
  } catch {
    return fallback;
  }
}

const OPERATORS = new Set([
  'exact', 'is_not', 'icontains', 'not_icontains', 'regex', 'not_regex', 'gt', 'gte', 'lt', 'lte',
  'is_set', 'is_not_set', 'is_date_before', 'is_date_after', 'between', 'not_between', 'in', 'not_in',
]);

/** Membership operators belong to cohort filters only, and cohort filters take nothing else. */
const fitsType = (f: PropertyFilter) =>
  f.type === 'cohort' ? f.operator === 'in' || f.operator === 'not_in' : (f.type === 'event' || f.type === 'person') && f.operator !== 'in' && f.operator !== 'not_in';

export function isFilterList(value: unknown): value is PropertyFilter[] {
  return (
    Array.isArray(value) &&
    value.every(
      (f) =>
        f &&
        typeof f === 'object' &&
        typeof (f as PropertyFilter).key === 'string' &&
        OPERATORS.has((f as PropertyFilter).operator) &&
        fitsType(f as PropertyFilter),
    )
  );
}

export const decodeFilters = (raw: string | null): PropertyFilter[] => decodeJson(raw, [], isFilterList);

/** A comma list where each item is URI-encoded, so a key may itself hold a comma. */
export function encodeList(items: string[]): string | null {
  return items.length ? items.map((i) => i.replace(/%/g, '%25').replace(/,/g, '%2C')).join(',') : null;
}

export function decodeList(raw: string | null): string[] | null {
  if (raw === null) return null;
  if (raw === '') return [];
  return raw
    .split(',')
    .map((i) => {
      try {
        return decodeURIComponent(i);
      } catch {
        return i;
      }
    })
    .filter((i) => i !== '');
}
