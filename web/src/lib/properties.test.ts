import { describe, expect, it } from 'vitest';
import {
  deviceOf,
  formatValue,
  initialOf,
  locationOf,
  parseValueInput,
  personDisplayName,
  primaryDistinctId,
  propertyLabel,
  valueKind,
  valueToInput,
} from './properties';

describe('parseValueInput (add property)', () => {
  it('parses valid JSON', () => {
    expect(parseValueInput('42')).toBe(42);
    expect(parseValueInput('4.5')).toBe(4.5);
    expect(parseValueInput('true')).toBe(true);
    expect(parseValueInput('null')).toBeNull();
    expect(parseValueInput('[1, "a"]')).toEqual([1, 'a']);
    expect(parseValueInput('{"plan":"pro"}')).toEqual({ plan: 'pro' });
    expect(parseValueInput('"42"')).toBe('42');
  });
  it('keeps anything else as the string typed', () => {
    expect(parseValueInput('pro plan')).toBe('pro plan');
    expect(parseValueInput('{not json')).toBe('{not json');
    expect(parseValueInput('  ada@example.com ')).toBe('  ada@example.com ');
    expect(parseValueInput('')).toBe('');
  });
  it('round-trips through the inline editor text', () => {
    for (const v of ['42', 'true', 'plain', 7, false, null, [1, 2], { a: 'b' }] as const) {
      expect(parseValueInput(valueToInput(v as never))).toEqual(v);
    }
  });
});

describe('valueKind', () => {
  it('reads types from values', () => {
    expect(valueKind('hello')).toBe('string');
    expect(valueKind(3)).toBe('number');
    expect(valueKind(false)).toBe('boolean');
    expect(valueKind('2026-03-10T12:00:00Z')).toBe('datetime');
    expect(valueKind('2026-03-10')).toBe('datetime');
    expect(valueKind('2026-13-45')).toBe('string');
    expect(valueKind([1])).toBe('list');
    expect(valueKind({ a: 1 })).toBe('object');
    expect(valueKind(null)).toBe('null');
  });
});

describe('formatValue', () => {
  it('prints each type on one line', () => {
    expect(formatValue('x')).toBe('x');
    expect(formatValue(0.1 + 0.2)).toBe('0.3');
    expect(formatValue(true)).toBe('true');
    expect(formatValue(null)).toBe('null');
    expect(formatValue(['a', 1])).toBe('["a",1]');
  });
});

describe('primaryDistinctId', () => {
  it('prefers an id a person chose over a device UUID', () => {
    expect(primaryDistinctId(['01a248c7-95e6-7aca-86f5-4f3bd205c8f4', 'usr_mqd516b'])).toBe('usr_mqd516b');
    expect(primaryDistinctId(['01a248c7-95e6-7aca-86f5-4f3bd205c8f4'])).toBe('01a248c7-95e6-7aca-86f5-4f3bd205c8f4');
    expect(primaryDistinctId([])).toBeUndefined();
  });
});

describe('labels and names', () => {
  it('knows friendly labels for $ keys', () => {
    expect(propertyLabel('$geoip_city_name')).toBe('City');
    expect(propertyLabel('$browser')).toBe('Browser');
    expect(propertyLabel('plan')).toBeNull();
  });
  it('picks a display name', () => {
    expect(personDisplayName({ name: 'Ada', properties: {}, distinct_ids: ['x'] })).toBe('Ada');
    expect(personDisplayName({ name: '', properties: { email: 'a@b.c' }, distinct_ids: ['x'] })).toBe('a@b.c');
    expect(personDisplayName({ name: '', properties: { first_name: 'Ada', last_name: 'L' }, distinct_ids: ['x'] })).toBe('Ada L');
    expect(personDisplayName({ name: '', properties: {}, distinct_ids: ['anon-1'] })).toBe('anon-1');
    // the server's name is the email; a name property is what people call the person
    expect(personDisplayName({ name: 'ada@example.com', properties: { name: 'Ada Lovelace', email: 'ada@example.com' }, distinct_ids: ['x'] })).toBe('Ada Lovelace');
    expect(personDisplayName({ name: '', properties: {}, distinct_ids: ['01a237b3-dc1b-7054-9a21-0325d9a92ae9', 'usr_1'] })).toBe('usr_1');
    expect(initialOf('  ada')).toBe('A');
    expect(initialOf('@@')).toBe('?');
  });
  it('joins location and device', () => {
    expect(locationOf({ $geoip_city_name: 'Lisbon', $geoip_country_name: 'Portugal' })).toBe('Lisbon, Portugal');
    expect(locationOf({})).toBeNull();
    expect(deviceOf({ $browser: 'Chrome', $os: 'Linux', $device_type: 'Desktop' })).toBe('Chrome · Linux · Desktop');
  });
});
