import { describe, expect, it } from 'vitest';
import { addFresh, newestTimestamp } from './live';

const e = (uuid: string, timestamp: string) => ({ uuid, timestamp });

describe('newestTimestamp', () => {
  it('takes the newest head of the lists', () => {
    expect(newestTimestamp([e('a', '2026-01-01T00:00:01Z')], [], [e('b', '2026-01-01T00:00:05Z'), e('c', '2026-01-01T00:00:00Z')])).toBe(
      '2026-01-01T00:00:05Z',
    );
    expect(newestTimestamp([], [])).toBeUndefined();
  });
});

describe('addFresh', () => {
  it('keeps only unseen events, newest page first', () => {
    const kept = [{ results: [e('b', '2026-01-01T00:00:02Z')] }];
    const next = addFresh(kept, { results: [e('c', '2026-01-01T00:00:03Z'), e('b', '2026-01-01T00:00:02Z')] }, new Set(['b']));
    expect(next?.map((p) => p.results.map((x) => x.uuid))).toEqual([['c'], ['b']]);
  });
  it('says null when nothing is new', () => {
    expect(addFresh([], { results: [e('a', '2026-01-01T00:00:00Z')] }, new Set(['a']))).toBeNull();
  });
});
