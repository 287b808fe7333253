// Live lists: poll for what is newer than the newest row shown, every 3 s, and keep what arrived
// so the page can prepend it (and flash it once).
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';

interface Timestamped {
  uuid: string;
  timestamp: string;
}

export interface LivePage<T extends Timestamped> {
  results: T[];
}

/** The newest timestamp among lists already newest-first (the first of each). */
export function newestTimestamp(...lists: Timestamped[][]): string | undefined {
  let best: string | undefined;
  let bestMs = -Infinity;
  for (const list of lists) {
    const first = list[0];
    if (!first) continue;
    const ms = Date.parse(first.timestamp);
    if (ms > bestMs) {
      bestMs = ms;
      best = first.timestamp;
    }
  }
  return best;
}

/** Adds the unseen events of `page` to the pages already kept; returns null when none were new. */
export function addFresh<T extends Timestamped, P extends LivePage<T>>(kept: P[], page: P, known: Set<string>): P[] | null {
  const unseen = page.results.filter((e) => !known.has(e.uuid));
  if (!unseen.length) return null;
  return [{ ...page, results: unseen }, ...kept];
}

export function useLivePages<T extends Timestamped, P extends LivePage<T>>(options: {
  /** Identifies the list; a change starts over (new filters, another person). */
  scope: unknown[];
  enabled: boolean;
  /** Newest timestamp of the rows loaded by paging. */
  loadedNewest: string | undefined;
  /** Uuids already shown by paging. */
  loadedUuids: Set<string>;
  fetchAfter: (after: string | undefined, signal: AbortSignal) => Promise<P>;
  intervalMs?: number;
}) {
  const { scope, enabled, loadedNewest, loadedUuids, fetchAfter, intervalMs = 3000 } = options;
  const scopeKey = JSON.stringify(scope);
  const [state, setState] = useState<{ scopeKey: string; pages: P[] }>({ scopeKey, pages: [] });
  const pages = state.scopeKey === scopeKey ? state.pages : [];
  const freshEvents = useMemo(() => pages.flatMap((p) => p.results), [pages]);
  const after = newestTimestamp(freshEvents, loadedNewest ? [{ uuid: '', timestamp: loadedNewest }] : []);

  const poll = useQuery({
    queryKey: ['live', scopeKey, after ?? null],
    queryFn: ({ signal }) => fetchAfter(after, signal),
    enabled,
    refetchInterval: enabled ? intervalMs : false,
    refetchIntervalInBackground: false,
    gcTime: 0,
    retry: false,
  });

  useEffect(() => {
    const data = poll.data;
    if (!data) return;
    setState((current) => {
      const kept = current.scopeKey === scopeKey ? current.pages : [];
      const known = new Set<string>([...loadedUuids, ...kept.flatMap((p) => p.results.map((e) => e.uuid))]);
      const next = addFresh<T, P>(kept, data, known);
      return next ? { scopeKey, pages: next } : current.scopeKey === scopeKey ? current : { scopeKey, pages: [] };
    });
    // loadedUuids changes with every page; only new poll answers matter here.
  }, [poll.data, scopeKey]);

  const freshUuids = useMemo(() => new Set(freshEvents.map((e) => e.uuid)), [freshEvents]);
  return { pages, freshEvents, freshUuids, error: poll.error, polling: poll.isFetching };
}
