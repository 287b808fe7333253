import { describe, expect, it } from 'vitest';
import { decodeFilters, decodeJson, decodeList, encodeJson, encodeList, patchParams } from './urlState';

describe('JSON params', () => {
  it('round-trips filters', () => {
    const filters = [
      { key: 'email', operator: 'icontains' as const, value: '@acme', type: 'person' as const },
      { key: '$browser', operator: 'exact' as const, value: ['Chrome', 'Firefox'], type: 'event' as const },
    ];
    const raw = encodeJson(filters);
    expect(raw).not.toBeNull();
    expect(decodeFilters(new URLSearchParams(`filters=${encodeURIComponent(raw!)}`).get('filters'))).toEqual(filters);
  });
  it('drops empty lists from the URL', () => {
    expect(encodeJson([])).toBeNull();
    expect(encodeJson(undefined)).toBeNull();
  });
  it('falls back on broken or foreign JSON', () => {
    expect(decodeFilters('{nope')).toEqual([]);
    expect(decodeFilters('[{"key":"a","operator":"bogus","type":"person"}]')).toEqual([]);
    expect(decodeFilters('[{"key":"a","operator":"exact","type":"group"}]')).toEqual([]);
    // cohort membership: in / not in, and only for cohort filters
    expect(decodeFilters('[{"key":"id","operator":"not_in","type":"cohort","value":4}]')).toEqual([{ key: 'id', operator: 'not_in', type: 'cohort', value: 4 }]);
    expect(decodeFilters('[{"key":"id","operator":"exact","type":"cohort","value":4}]')).toEqual([]);
    expect(decodeFilters('[{"key":"plan","operator":"in","type":"person","value":4}]')).toEqual([]);
    expect(decodeJson('3', 0)).toBe(3);
    expect(decodeJson(null, 'x')).toBe('x');
  });
});

describe('comma lists', () => {
  it('round-trips keys holding commas and percents', () => {
    const items = ['person', 'a,b', '100%', '$geoip_city_name'];
    const raw = encodeList(items)!;
    expect(raw.split(',')).toHaveLength(4);
    expect(decodeList(raw)).toEqual(items);
  });
  it('tells absent from empty', () => {
    expect(decodeList(null)).toBeNull();
    expect(decodeList('')).toEqual([]);
    expect(encodeList([])).toBeNull();
  });
});

describe('patchParams', () => {
  it('sets, replaces and removes', () => {
    const next = patchParams(new URLSearchParams('search=ada&order=asc'), { search: 'bob', order: null, columns: 'a,b' });
    expect(next.get('search')).toBe('bob');
    expect(next.has('order')).toBe(false);
    expect(next.get('columns')).toBe('a,b');
  });
});
