// The URL is the state: these read and write search params, with JSON where a value is a structure.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { PropertyFilter } from '../api';
import { decodeFilters, encodeJson } from './urlCodec';

export { decodeFilters, decodeJson, decodeList, encodeJson, encodeList, isFilterList } from './urlCodec';

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
