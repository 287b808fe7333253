import { describe, expect, it } from 'vitest';
import { dateRangeLabel, presetOf, todayIn } from './dateRange';

describe('date ranges in words', () => {
  it('names presets, custom ranges and other relative ranges', () => {
    expect(dateRangeLabel({ date_from: '-7d' })).toBe('Last 7 days');
    expect(dateRangeLabel({ date_from: 'mStart', date_to: null })).toBe('Month to date');
    expect(dateRangeLabel({ date_from: '-1mStart', date_to: '-1mEnd' })).toBe('Last month');
    expect(dateRangeLabel({ date_from: '2026-11-03', date_to: '2026-12-01' })).toBe('Nov 3 – Dec 1, 2026');
    expect(dateRangeLabel({ date_from: '2025-12-30', date_to: '2026-01-02' })).toBe('Dec 30, 2025 – Jan 2, 2026');
    expect(dateRangeLabel({ date_from: '2026-11-03' })).toBe('Since Nov 3, 2026');
    expect(dateRangeLabel({ date_from: '-12w' })).toBe('Last 12 weeks');
    expect(dateRangeLabel(null, 'Each insight’s own dates')).toBe('Each insight’s own dates');
  });
  it('finds the preset of a range', () => {
    expect(presetOf({ date_from: 'dStart' })?.key).toBe('today');
    expect(presetOf({ date_from: '-7d', date_to: '2026-01-01' })).toBeNull();
  });
  it('today in the project’s zone', () => {
    expect(todayIn('Pacific/Auckland', new Date('2026-12-06T20:00:00Z'))).toBe('2026-12-07');
    expect(todayIn('America/New_York', new Date('2026-12-06T02:00:00Z'))).toBe('2026-12-05');
  });
});
