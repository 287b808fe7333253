import { describe, expect, it } from 'vitest';
import { eventLabel, eventSummary } from './events';

describe('eventSummary', () => {
  it('shows the URL of a pageview', () => {
    expect(eventSummary('$pageview', { $current_url: 'https://a.example/pricing', $browser: 'Chrome' })).toBe('https://a.example/pricing');
  });
  it('describes a click', () => {
    expect(eventSummary('$autocapture', { $event_type: 'click', $el_text: 'Buy', $current_url: 'https://a.example/' })).toBe(
      'click “Buy” on https://a.example/',
    );
  });
  it('shows custom properties, not $ ones', () => {
    expect(eventSummary('order placed', { $lib: 'web', amount: 42, plan: 'pro', token: 'x' })).toBe('amount: 42 · plan: pro');
  });
  it('names the anonymous id of an identify', () => {
    expect(eventSummary('$identify', { $anon_distinct_id: 'anon-1' })).toBe('from anonymous anon-1');
  });
  it('labels $ events in words', () => {
    expect(eventLabel('$pageview')).toBe('Pageview');
    expect(eventLabel('signed up')).toBe('signed up');
  });
});
