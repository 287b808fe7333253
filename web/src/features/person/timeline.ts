// Shapes a person's events into the timeline people read: newest first, grouped by session,
// with the events from before an identification marked and a divider where the merge happened.
import type { Merge, SessionGroup, SightlineEvent } from '../../api';

export type EventKind = 'pageview' | 'pageleave' | 'autocapture' | 'identify' | 'screen' | 'custom';

export function eventKind(name: string): EventKind {
  switch (name) {
    case '$pageview':
      return 'pageview';
    case '$pageleave':
      return 'pageleave';
    case '$autocapture':
    case '$rageclick':
    case '$dead_click':
      return 'autocapture';
    case '$identify':
    case '$create_alias':
    case '$merge_dangerously':
    case '$set':
      return 'identify';
    case '$screen':
      return 'screen';
    default:
      return 'custom';
  }
}

export interface EventRow {
  type: 'event';
  event: SightlineEvent;
  /** The id the person was identified as later, when this event came before that merge. */
  beforeIdentificationAs: string | null;
  /** The merge that brought this event's distinct id, when it is marked. */
  mergedAt: string | null;
}

export interface MergeRow {
  type: 'merge';
  key: string;
  merge: Merge;
  identifiedAs: string;
}

export type TimelineRow = EventRow | MergeRow;

export interface SessionBlock {
  type: 'session';
  key: string;
  sessionId: string | null;
  start: string;
  end: string;
  durationMs: number;
  eventCount: number;
  rows: TimelineRow[];
}

export type TimelineItem = SessionBlock | MergeRow;

const time = (iso: string) => Date.parse(iso);

/** Which session each event belongs to, from every page's `sessions` groups. */
export function sessionIndex(pages: { sessions?: SessionGroup[] }[]): Map<string, string | null> {
  const index = new Map<string, string | null>();
  for (const page of pages) for (const group of page.sessions ?? []) for (const uuid of group.events) index.set(uuid, group.session_id);
  return index;
}

/** Merges that brought distinct ids in (a split takes ids out, so it marks nothing). */
export function identifyingMerges(merges: Merge[]): Merge[] {
  return merges.filter((m) => m.kind !== 'split' && m.distinct_ids && m.distinct_ids.length > 0);
}

/** The id a merge identified the person as: its trigger event's id, else one the merge did not bring. */
export function identifiedAsFor(merge: Merge, eventsByUuid: Map<string, SightlineEvent>, personDistinctIds: string[]): string {
  const trigger = merge.event_uuid ? eventsByUuid.get(merge.event_uuid) : undefined;
  if (trigger && !merge.distinct_ids.includes(trigger.distinct_id)) return trigger.distinct_id;
  const alias = trigger?.properties?.alias;
  if (typeof alias === 'string' && !merge.distinct_ids.includes(alias)) return alias;
  return personDistinctIds.find((id) => !merge.distinct_ids.includes(id)) ?? personDistinctIds[0] ?? 'this person';
}

/** The earliest merge after the event that brought its distinct id, if any. */
export function mergeBefore(event: SightlineEvent, merges: Merge[]): Merge | null {
  let found: Merge | null = null;
  const t = time(event.timestamp);
  for (const m of merges) {
    if (!m.distinct_ids.includes(event.distinct_id)) continue;
    if (!(t < time(m.at))) continue;
    if (!found || time(m.at) < time(found.at)) found = m;
  }
  return found;
}

/** Events by uuid, newest first, duplicates dropped (polling and paging overlap at their edges). */
export function mergeEventLists(...lists: SightlineEvent[][]): SightlineEvent[] {
  const seen = new Set<string>();
  const out: SightlineEvent[] = [];
  for (const list of lists)
    for (const e of list) {
      if (seen.has(e.uuid)) continue;
      seen.add(e.uuid);
      out.push(e);
    }
  return out.sort((a, b) => time(b.timestamp) - time(a.timestamp));
}

/**
 * An `$identify` that gave an anonymous person its identified id is no person merge, so the
 * merge history may not list it; the event itself says which anonymous id it identified.
 */
export function inferredIdentifications(events: SightlineEvent[], merges: Merge[]): Merge[] {
  const covered = new Set(identifyingMerges(merges).flatMap((m) => m.distinct_ids));
  const out: Merge[] = [];
  for (const e of events) {
    if (e.event !== '$identify') continue;
    const anon = e.properties?.$anon_distinct_id;
    if (typeof anon !== 'string' || !anon || anon === e.distinct_id || covered.has(anon)) continue;
    covered.add(anon);
    out.push({ kind: 'identify', source_person_id: null, target_person_id: null, distinct_ids: [anon], event_uuid: e.uuid, rule: 'identify', at: e.timestamp });
  }
  return out;
}

export interface BuildOptions {
  events: SightlineEvent[];
  sessions: Map<string, string | null>;
  merges: Merge[];
  personDistinctIds: string[];
  /** More (older) events exist: a merge older than every loaded event waits for them. */
  hasOlder: boolean;
}

export function buildTimeline({ events, sessions, merges, personDistinctIds, hasOlder }: BuildOptions): TimelineItem[] {
  const ordered = [...events].sort((a, b) => time(b.timestamp) - time(a.timestamp));
  const byUuid = new Map(ordered.map((e) => [e.uuid, e]));
  const identifying = [...identifyingMerges(merges), ...inferredIdentifications(ordered, merges)];
  const pending = [...identifying].sort((a, b) => time(b.at) - time(a.at));
  const mergeRow = (m: Merge, i: number): MergeRow => ({
    type: 'merge',
    key: `merge-${m.at}-${i}`,
    merge: m,
    identifiedAs: identifiedAsFor(m, byUuid, personDistinctIds),
  });

  const items: TimelineItem[] = [];
  let block: SessionBlock | null = null;
  let waiting: MergeRow[] = [];
  let mergeCount = 0;

  const close = () => {
    if (!block) return;
    const newest = time(block.end);
    const oldest = time(block.start);
    block.durationMs = Math.max(0, newest - oldest);
    items.push(block);
    block = null;
  };

  for (const event of ordered) {
    const t = time(event.timestamp);
    while (pending.length && t < time(pending[0].at)) waiting.push(mergeRow(pending.shift()!, mergeCount++));
    const sessionId = sessions.get(event.uuid) ?? stringOrNull(event.properties?.$session_id);
    const merge = mergeBefore(event, identifying);
    const row: EventRow = {
      type: 'event',
      event,
      beforeIdentificationAs: merge ? identifiedAsFor(merge, byUuid, personDistinctIds) : null,
      mergedAt: merge ? merge.at : null,
    };
    const current = block as SessionBlock | null;
    if (current && current.sessionId === sessionId) {
      current.rows.push(...waiting, row);
      current.start = event.timestamp;
      current.eventCount++;
    } else {
      close();
      // A merge between two sessions stands on its own between them.
      items.push(...waiting);
      block = {
        type: 'session',
        key: `session-${sessionId ?? 'none'}-${event.uuid}`,
        sessionId,
        start: event.timestamp,
        end: event.timestamp,
        durationMs: 0,
        eventCount: 1,
        rows: [row],
      };
    }
    waiting = [];
  }
  close();
  if (!hasOlder) for (const m of pending) items.push(mergeRow(m, mergeCount++));
  return items;
}

function stringOrNull(v: unknown): string | null {
  return typeof v === 'string' && v ? v : null;
}
