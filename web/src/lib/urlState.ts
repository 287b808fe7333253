// The URL is the state: these read and write search params, with JSON where a value is a structure.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
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
  'is_set', 'is_not_set', 'is_date_before', 'is_date_after', 'between', 'not_between',
]);

export function isFilterList(value: unknown): value is PropertyFilter[] {
  return (
    Array.isArray(value) &&
    value.every(
      (f) =>
        f &&
        typeof f === 'object' &&
        typeof (f as PropertyFilter).key === 'string' &&
        OPERATORS.has((f as PropertyFilter).operator) &&
        ((f as PropertyFilter).type === 'event' || (f as PropertyFilter).type === 'person'),
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

export type ParamPatch = Record<string, string | null | undefined>;

/** New search params with `patch` applied; null/undefined/'' remove a key. */
export function patchParams(current: URLSearchParams, patch: ParamPatch): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === undefined || v === '') next.delete(k);
    else next.set(k, v);
  }
  return next;
}

/** Search params plus a setter that merges, replacing history for typing and pushing otherwise. */
export function useUrlParams() {
  const [params, setParams] = useSearchParams();
  const update = useCallback(
    (patch: ParamPatch, options: { replace?: boolean } = {}) => {
      setParams((current) => patchParams(current, patch), { replace: options.replace ?? false });
    },
    [setParams],
  );
  return [params, update] as const;
}

/** The filters held in `?<name>=<json>`. */
export function useUrlFilters(name = 'filters') {
  const [params, update] = useUrlParams();
  const raw = params.get(name);
  const filters = useMemo(() => decodeFilters(raw), [raw]);
  const setFilters = useCallback((next: PropertyFilter[]) => update({ [name]: encodeJson(next) }), [update, name]);
  return [filters, setFilters] as const;
}
