import { describe, expect, it } from 'vitest';
import { formatDuration, isoToLocalInput, localInputToIso, relativeTime } from './time';

describe('relativeTime', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');
  it('says just now under 45 seconds', () => {
    expect(relativeTime('2026-03-10T11:59:30Z', now)).toBe('just now');
  });
  it('counts minutes and hours', () => {
    expect(relativeTime('2026-03-10T11:57:00Z', now)).toBe('3 min ago');
    expect(relativeTime('2026-03-10T07:00:00Z', now)).toBe('5 h ago');
  });
  it('says yesterday, then days', () => {
    expect(relativeTime('2026-03-09T11:00:00Z', now)).toBe('yesterday');
    expect(relativeTime('2026-03-06T12:00:00Z', now)).toBe('4 days ago');
  });
  it('handles the future and bad input', () => {
    expect(relativeTime('2026-03-10T12:10:00Z', now)).toBe('in 10 min');
    expect(relativeTime('not a date', now)).toBe('—');
    expect(relativeTime(null, now)).toBe('—');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [42_000, '42s'],
    [133_000, '2m 13s'],
    [120_000, '2m'],
    [3_900_000, '1h 5m'],
    [3_600_000, '1h'],
    [273_600_000, '3d 4h'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
  it('refuses negatives and NaN', () => {
    expect(formatDuration(-1)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});

describe('datetime-local round trip', () => {
  it('keeps the minute', () => {
    const iso = localInputToIso('2026-03-10T09:05');
    expect(iso).toBeDefined();
    expect(isoToLocalInput(iso)).toBe('2026-03-10T09:05');
    expect(localInputToIso('')).toBeUndefined();
  });
});
