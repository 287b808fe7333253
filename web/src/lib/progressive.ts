// Long lists: the rows in sight first, the rest right after. A hundred table rows of Mantine
// components take a while to build; the first screenful does not need to wait for the others.
import { startTransition, useEffect, useState } from 'react';

/** How many of `total` items to draw now: `first` on the first render, all of them a moment later. */
export function useProgressiveCount(total: number, first = 30): number {
  const [all, setAll] = useState(false);
  const partial = !all && total > first;
  useEffect(() => {
    if (!partial) return;
    // after the first screenful is painted; as a transition, so typing or clicking comes first
    const id = window.setTimeout(() => startTransition(() => setAll(true)), 0);
    return () => window.clearTimeout(id);
  }, [partial]);
  return partial ? first : total;
}
