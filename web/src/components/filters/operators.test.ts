import { describe, expect, it } from 'vitest';
import { buildFilter, filterLabel, operatorsFor, valueShape } from './operators';

describe('operatorsFor', () => {
  it('offers text matching for strings, not comparisons', () => {
    const ops = operatorsFor('String');
    expect(ops).toContain('icontains');
    expect(ops).toContain('regex');
    expect(ops).not.toContain('gt');
    expect(ops).not.toContain('is_date_before');
  });
  it('offers comparisons and ranges for numbers', () => {
    const ops = operatorsFor('Numeric');
    expect(ops).toEqual(['exact', 'is_not', 'gt', 'gte', 'lt', 'lte', 'between', 'not_between', 'is_set', 'is_not_set']);
  });
  it('keeps booleans to equality and presence', () => {
    expect(operatorsFor('Boolean')).toEqual(['exact', 'is_not', 'is_set', 'is_not_set']);
  });
  it('offers before/after for dates', () => {
    expect(operatorsFor('DateTime').slice(0, 2)).toEqual(['is_date_after', 'is_date_before']);
    expect(operatorsFor('DateTime')).not.toContain('icontains');
  });
  it('treats unknown types as strings', () => {
    expect(operatorsFor(null)).toEqual(operatorsFor('String'));
  });
});

describe('buildFilter', () => {
  it('drops the value for is_set', () => {
    expect(buildFilter('plan', 'person', 'is_set', 'x')).toEqual({ key: 'plan', operator: 'is_set', type: 'person' });
  });
  it('makes a list for exact and coerces numbers', () => {
    expect(buildFilter('age', 'person', 'exact', ['30', '31'], 'Numeric')).toEqual({
      key: 'age', operator: 'exact', type: 'person', value: [30, 31],
    });
    expect(buildFilter('plan', 'person', 'exact', 'pro')).toEqual({ key: 'plan', operator: 'exact', type: 'person', value: ['pro'] });
  });
  it('refuses missing values', () => {
    expect(buildFilter('plan', 'person', 'exact', [])).toBeNull();
    expect(buildFilter('plan', 'person', 'icontains', '')).toBeNull();
    expect(buildFilter('n', 'event', 'gt', 'abc')).toBeNull();
    expect(buildFilter('n', 'event', 'between', ['1'])).toBeNull();
    expect(buildFilter('', 'event', 'is_set', undefined)).toBeNull();
  });
  it('builds ranges and numbers', () => {
    expect(buildFilter('n', 'event', 'between', ['1', '5'])).toEqual({ key: 'n', operator: 'between', type: 'event', value: [1, 5] });
    expect(buildFilter('n', 'event', 'gte', '2.5')).toEqual({ key: 'n', operator: 'gte', type: 'event', value: 2.5 });
  });
  it('knows the value shape', () => {
    expect(valueShape('exact', 'String')).toBe('list');
    expect(valueShape('exact', 'DateTime')).toBe('single');
    expect(valueShape('is_date_before')).toBe('date');
    expect(valueShape('is_not_set')).toBe('none');
  });
});

describe('filterLabel', () => {
  it('reads as words', () => {
    expect(filterLabel({ key: 'email', operator: 'icontains', value: '@acme', type: 'person' })).toBe('email contains @acme');
    expect(filterLabel({ key: '$browser', operator: 'exact', value: ['Chrome', 'Firefox'], type: 'event' }, 'Browser')).toBe(
      'Browser equals Chrome or Firefox',
    );
    expect(filterLabel({ key: 'plan', operator: 'is_not_set', type: 'person' })).toBe('plan is not set');
    expect(filterLabel({ key: 'n', operator: 'between', value: [1, 5], type: 'event' })).toBe('n between 1 and 5');
  });
});
