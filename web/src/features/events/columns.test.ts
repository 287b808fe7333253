import { describe, expect, it } from 'vitest';
import type { SightlineEvent } from '../../api';
import { describeEventColumn, eventColumnText, hasProfile, urlOrScreen } from './columns';

const event: SightlineEvent = {
  id: '1', uuid: '1', distinct_id: 'd', event: '$screen', timestamp: '2026-01-01T00:00:00Z', created_at: '2026-01-01T00:00:00Z',
  properties: { $screen_name: 'Checkout', amount: 3.5 }, person_id: 'p', person_properties: { plan: 'pro' },
};

describe('event columns', () => {
  it('reads event and person properties', () => {
    expect(eventColumnText(event, 'amount')).toBe('3.5');
    expect(eventColumnText(event, 'person.plan')).toBe('pro');
    expect(eventColumnText(event, 'person.missing')).toBeNull();
  });
  it('labels columns', () => {
    expect(describeEventColumn('url')).toBe('URL / screen');
    expect(describeEventColumn('person.$geoip_city_name')).toBe('Person · City');
    expect(describeEventColumn('plan')).toBe('plan');
  });
  it('links a person only when one was processed', () => {
    expect(hasProfile(event)).toBe(true);
    expect(hasProfile({ ...event, properties: { $process_person_profile: false } })).toBe(false);
    expect(hasProfile({ ...event, person_id: null })).toBe(false);
  });
  it('falls back from URL to screen name', () => {
    expect(urlOrScreen(event)).toBe('Checkout');
  });
});
