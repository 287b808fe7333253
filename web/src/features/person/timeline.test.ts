import { describe, expect, it } from 'vitest';
import type { Merge, SightlineEvent } from '../../api';
import { buildTimeline, eventKind, mergeEventLists, sessionIndex, type SessionBlock, type MergeRow } from './timeline';

function ev(uuid: string, timestamp: string, distinct_id: string, event = '$pageview', properties = {}): SightlineEvent {
  return {
    id: uuid, uuid, distinct_id, event, timestamp, created_at: timestamp, properties, person_id: 'p1', person_properties: {},
  };
}

// Anonymous browsing in session s1, an $identify as ada@x at 10:05, then a later session s2.
const events = [
  ev('e6', '2026-03-10T11:00:10Z', 'ada@x', 'signed_up'),
  ev('e5', '2026-03-10T11:00:00Z', 'ada@x'),
  ev('e4', '2026-03-10T10:06:00Z', 'ada@x'),
  ev('e3', '2026-03-10T10:05:00Z', 'ada@x', '$identify', { $anon_distinct_id: 'anon-1' }),
  ev('e2', '2026-03-10T10:02:00Z', 'anon-1', '$autocapture'),
  ev('e1', '2026-03-10T10:00:00Z', 'anon-1'),
];
const sessions = sessionIndex([
  { sessions: [{ session_id: 's2', events: ['e6', 'e5'] }, { session_id: 's1', events: ['e4', 'e3'] }] },
  { sessions: [{ session_id: 's1', events: ['e2', 'e1'] }] },
]);
const merge: Merge = {
  kind: 'merge', source_person_id: 'p0', target_person_id: 'p1', distinct_ids: ['anon-1'], event_uuid: 'e3', rule: 'identify', at: '2026-03-10T10:05:00.500Z',
};

describe('buildTimeline', () => {
  const items = buildTimeline({ events, sessions, merges: [merge], personDistinctIds: ['ada@x', 'anon-1'], hasOlder: false });

  it('groups consecutive events by session, newest first, across pages', () => {
    const blocks = items.filter((i): i is SessionBlock => i.type === 'session');
    expect(blocks.map((b) => b.sessionId)).toEqual(['s2', 's1']);
    expect(blocks[0].eventCount).toBe(2);
    expect(blocks[1].eventCount).toBe(4);
    expect(blocks[1].start).toBe('2026-03-10T10:00:00Z');
    expect(blocks[1].end).toBe('2026-03-10T10:06:00Z');
    expect(blocks[1].durationMs).toBe(6 * 60_000);
    expect(blocks[0].durationMs).toBe(10_000);
  });

  it('marks only the brought id’s events from before the merge', () => {
    const s1 = items[1] as SessionBlock;
    const marks = Object.fromEntries(
      s1.rows.filter((r) => r.type === 'event').map((r) => [r.type === 'event' ? r.event.uuid : '', r.type === 'event' ? r.beforeIdentificationAs : null]),
    );
    expect(marks).toEqual({ e4: null, e3: null, e2: 'ada@x', e1: 'ada@x' });
  });

  it('puts the divider where the merge happened, naming the identified id', () => {
    const s1 = items[1] as SessionBlock;
    const order = s1.rows.map((r) => (r.type === 'merge' ? `merge:${r.identifiedAs}` : r.event.uuid));
    expect(order).toEqual(['e4', 'merge:ada@x', 'e3', 'e2', 'e1']);
  });

  it('keeps an older merge back while older pages remain', () => {
    const old: Merge = { ...merge, at: '2026-03-01T00:00:00Z', distinct_ids: ['anon-0'], event_uuid: null };
    const withMore = buildTimeline({ events, sessions, merges: [old], personDistinctIds: ['ada@x'], hasOlder: true });
    expect(withMore.some((i) => i.type === 'merge')).toBe(false);
    const complete = buildTimeline({ events, sessions, merges: [old], personDistinctIds: ['ada@x'], hasOlder: false });
    const last = complete[complete.length - 1] as MergeRow;
    expect(last.type).toBe('merge');
    expect(last.identifiedAs).toBe('ada@x');
  });

  it('places a merge between sessions on its own and ignores splits', () => {
    const between: Merge = { ...merge, at: '2026-03-10T10:30:00Z', event_uuid: null };
    const split: Merge = { ...merge, kind: 'split', at: '2026-03-10T10:40:00Z' };
    const out = buildTimeline({ events, sessions, merges: [between, split], personDistinctIds: ['ada@x', 'anon-1'], hasOlder: false });
    expect(out.map((i) => i.type)).toEqual(['session', 'merge', 'session']);
  });

  it('falls back to $session_id when the API gave no group', () => {
    const loose = [ev('a', '2026-03-10T10:00:02Z', 'x', '$pageview', { $session_id: 'q' }), ev('b', '2026-03-10T10:00:01Z', 'x', '$pageview', { $session_id: 'q' }), ev('c', '2026-03-10T10:00:00Z', 'x')];
    const out = buildTimeline({ events: loose, sessions: new Map(), merges: [], personDistinctIds: ['x'], hasOlder: false });
    expect(out.map((i) => (i.type === 'session' ? `${i.sessionId}:${i.eventCount}` : 'm'))).toEqual(['q:2', 'null:1']);
  });
});

describe('identifications without a merge record', () => {
  it('marks events before an $identify that attached the anonymous id', () => {
    const items = buildTimeline({ events, sessions, merges: [], personDistinctIds: ['ada@x', 'anon-1'], hasOlder: false });
    const s1 = items[1] as SessionBlock;
    const order = s1.rows.map((r) => (r.type === 'merge' ? `merge:${r.identifiedAs}` : `${r.event.uuid}:${r.beforeIdentificationAs ?? '-'}`));
    expect(order).toEqual(['e4:-', 'e3:-', 'merge:ada@x', 'e2:ada@x', 'e1:ada@x']);
  });
  it('does not double a merge the server recorded', () => {
    const items = buildTimeline({ events, sessions, merges: [merge], personDistinctIds: ['ada@x', 'anon-1'], hasOlder: false });
    const dividers = (items[1] as SessionBlock).rows.filter((r) => r.type === 'merge');
    expect(dividers).toHaveLength(1);
  });
});

describe('mergeEventLists', () => {
  it('dedupes by uuid and sorts newest first', () => {
    const a = [ev('2', '2026-01-01T00:00:02Z', 'x'), ev('1', '2026-01-01T00:00:01Z', 'x')];
    const b = [ev('3', '2026-01-01T00:00:03Z', 'x'), ev('2', '2026-01-01T00:00:02Z', 'x')];
    expect(mergeEventLists(b, a).map((e) => e.uuid)).toEqual(['3', '2', '1']);
  });
});

describe('eventKind', () => {
  it('names the icon kind', () => {
    expect(eventKind('$pageview')).toBe('pageview');
    expect(eventKind('$autocapture')).toBe('autocapture');
    expect(eventKind('$identify')).toBe('identify');
    expect(eventKind('signed_up')).toBe('custom');
  });
});
