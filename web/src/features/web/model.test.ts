import { describe, expect, it } from 'vitest';
import { decodeFilters } from '../../lib/urlState';
import { changeTone, chipWords, DIMENSIONS, drillFilter, readState, tableQuery, valueWords, withFilter } from './model';

describe('web analytics state', () => {
  it('reads the URL with defaults: last 7 days, compared, first tabs', () => {
    const s = readState(new URLSearchParams(''), decodeFilters);
    expect(s.range.date_from).toBe('-7d');
    expect(s.compare).toBe(true);
    expect(s.tabs.pages).toBe('Page');
    expect(s.tabs.places).toBe('Country');
  });

  it('keeps a known tab and refuses an unknown one', () => {
    const s = readState(new URLSearchParams('devices_tab=Browser&pages_tab=Nope&compare=0'), decodeFilters);
    expect(s.tabs.devices).toBe('Browser');
    expect(s.tabs.pages).toBe('Page');
    expect(s.compare).toBe(false);
  });

  it('drills down by replacing a filter on the same dimension', () => {
    const a = withFilter([], drillFilter(DIMENSIONS.Browser, 'Chrome'));
    const b = withFilter(a, drillFilter(DIMENSIONS.Browser, 'Firefox'));
    expect(b).toEqual([{ key: '$browser', operator: 'exact', value: ['Firefox'], type: 'event' }]);
    expect(withFilter(b, drillFilter(DIMENSIONS.Country, null))).toHaveLength(2);
    expect(chipWords(b[0])).toBe('Browser is Firefox');
    expect(chipWords(drillFilter(DIMENSIONS.Country, null))).toBe('Country is not set');
  });

  it('names countries and empty values', () => {
    expect(valueWords(DIMENSIONS.Country, 'DE')).toContain('Germany');
    expect(valueWords(DIMENSIONS.Page, null)).toBe('(none)');
  });

  it('builds the table query with the shared fields', () => {
    const s = readState(new URLSearchParams('date_from=-30d&goal=signup'), decodeFilters);
    expect(tableQuery(s, 'Browser', 10)).toMatchObject({
      kind: 'WebStatsTableQuery',
      breakdownBy: 'Browser',
      dateRange: { date_from: '-30d' },
      conversionGoal: { kind: 'CustomEventConversionGoal', customEventName: 'signup' },
    });
  });

  it('says whether a change is good news', () => {
    const base = { key: 'x', kind: 'unit' as const, value: 1, previous: 1 };
    expect(changeTone({ ...base, changeFromPreviousPct: 10, isIncreaseBad: false })).toBe('good');
    expect(changeTone({ ...base, changeFromPreviousPct: 10, isIncreaseBad: true })).toBe('bad');
    expect(changeTone({ ...base, changeFromPreviousPct: null, isIncreaseBad: true })).toBe('flat');
  });
});
