import { describe, expect, it } from 'vitest';
import type { ProjectUsage, UsageCounts } from '../../api';
import { dailySeries, isEmpty, isMonth, limitWords, money, monthLabel, parseLimit, recentMonths, savingWords } from './usage';

const zero: UsageCounts = { identified: 0, anonymous: 0, not_billed: 0, dropped_identified: 0, dropped_anonymous: 0, could_be_anonymous: 0 };

function usage(counts: Partial<UsageCounts>, extra: Partial<ProjectUsage> = {}): ProjectUsage {
  const all = { ...zero, ...counts };
  return {
    project_id: 1,
    month: '2026-12',
    complete: false,
    currency: 'USD',
    counts: all,
    daily: [
      { date: '2026-12-01', ...zero, identified: all.identified, anonymous: all.anonymous },
      { date: '2026-12-02', ...zero, not_billed: all.not_billed },
    ],
    top_events: {},
    libraries: [],
    daily_rate: { identified: 0, anonymous: 0 },
    cost: { identified: 372, anonymous: 0, total: 372 },
    projected: { counts: { identified: 0, anonymous: 0, could_be_anonymous: 0 }, cost: { identified: 744, anonymous: 0, total: 744 } },
    identified_only: { counts: { identified: 0, anonymous: 0, could_be_anonymous: 0 }, cost: { identified: 248, anonymous: 0, total: 248 }, saving: 124 },
    projected_identified_only: { counts: { identified: 0, anonymous: 0, could_be_anonymous: 0 }, cost: { identified: 496, anonymous: 0, total: 496 }, saving: 248 },
    limits: [],
    warnings: [],
    organization_counts: { identified: 0, anonymous: 0 },
    prices: { anonymous: { free_events: 1_000_000, tiers: [] }, identified: { free_events: 1_000_000, tiers: [] } },
    ...extra,
  };
}

describe('usage page logic', () => {
  it('formats money and months', () => {
    expect(money(1234.5)).toBe('$1,234.50');
    expect(monthLabel('2026-12')).toBe('December 2026');
    expect(recentMonths(new Date(Date.UTC(2026, 0, 15)), 3)).toEqual(['2026-01', '2025-12', '2025-11']);
    expect(isMonth('2026-12')).toBe(true);
    expect(isMonth('2026-13')).toBe(false);
    expect(isMonth(null)).toBe(false);
  });

  it('knows an empty month', () => {
    expect(isEmpty(usage({}))).toBe(true);
    expect(isEmpty(usage({ not_billed: 1 }))).toBe(false);
  });

  it('stacks only the kinds that have events, a value per day', () => {
    const { days, series } = dailySeries(usage({ identified: 5, anonymous: 7, not_billed: 2 }));
    expect(days).toEqual(['01', '02']);
    expect(series.map((s) => s.kind)).toEqual(['identified', 'anonymous', 'not_billed']);
    expect(series[1].data).toEqual([7, 0]);
  });

  it('says what identified_only would save', () => {
    expect(savingWords(usage({ identified: 3_000_000 }))).toBeNull();
    const words = savingWords(usage({ identified: 3_000_000, could_be_anonymous: 1_000_000 }));
    expect(words).toContain('Of the 3,000,000 identified events of December 2026, 1,000,000 came from');
    expect(words).toContain('$248.00 instead of $372.00');
    expect(words).toContain('a saving of $124.00 so far, about $248.00');
    const free = usage({ identified: 10, could_be_anonymous: 4 }, {
      identified_only: { counts: { identified: 6, anonymous: 4, could_be_anonymous: 0 }, cost: { identified: 0, anonymous: 0, total: 0 }, saving: 0 },
      projected_identified_only: { counts: { identified: 6, anonymous: 4, could_be_anonymous: 0 }, cost: { identified: 0, anonymous: 0, total: 0 }, saving: 0 },
      cost: { identified: 0, anonymous: 0, total: 0 },
    });
    expect(savingWords(free)).toContain('no saving yet');
  });

  it('reads a limit as typed', () => {
    expect(parseLimit('')).toBeNull();
    expect(parseLimit('1,000,000')).toBe(1_000_000);
    expect(parseLimit('0')).toBe(0);
    expect(parseLimit('-5')).toBe('invalid');
    expect(parseLimit('1.5')).toBe('invalid');
    expect(parseLimit('lots')).toBe('invalid');
  });

  it('words a limit by its state', () => {
    expect(limitWords({ kind: 'identified', limit: null, used: 5, share: null, state: 'none', dropped: 0 })).toBe('No limit');
    expect(limitWords({ kind: 'identified', limit: 100, used: 85, share: 0.85, state: 'warning', dropped: 0 })).toBe('85% used');
    expect(limitWords({ kind: 'anonymous', limit: 10, used: 10, share: 1, state: 'reached', dropped: 3 })).toContain('(3 so far)');
  });
});
