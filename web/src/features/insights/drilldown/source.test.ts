import { describe, expect, it } from 'vitest';
import { defaultQuery } from '../query/model';
import type { FunnelsQuery, RetentionQuery, TrendsQuery } from '../query/types';
import { actorsToPersons, personsCsv } from './actors';
import { actorsQuery, actorsSource, bucketsProbe } from './source';

const trends: TrendsQuery = {
  ...(defaultQuery('TrendsQuery') as TrendsQuery),
  breakdownFilter: { breakdown: '$browser', breakdown_type: 'event' },
  compareFilter: { compare: true },
};

describe('the persons behind a point', () => {
  it('trends: the bucket, the series and the breakdown value', () => {
    const q = actorsQuery(trends, { kind: 'trends', series: 1, day: '2026-12-02', breakdown: 'Chrome', label: '', value: 3, persons: true }, { limit: 100, offset: 0 });
    expect(q).toMatchObject({ kind: 'ActorsQuery', limit: 100, offset: 0, source: { kind: 'InsightActorsQuery', day: '2026-12-02', series: 1, breakdown: 'Chrome' } });
    expect((q.source as { source: TrendsQuery }).source.compareFilter).toEqual({ compare: true });
  });

  it('trends: a previous-period point asks its own range, without comparing', () => {
    const s = actorsSource(trends, {
      kind: 'trends', series: 0, day: '2026-11-20', breakdown: null, previousRange: { date_from: '2026-11-18', date_to: '2026-11-24' }, label: '', value: 1, persons: false,
    }) as unknown as { source: TrendsQuery; breakdown?: unknown };
    expect(s.source.dateRange).toEqual({ date_from: '2026-11-18', date_to: '2026-11-24' });
    expect(s.source.compareFilter).toBeUndefined();
    expect('breakdown' in s).toBe(false);
  });

  it('trends: one number over the range is resolved to a bucket first', () => {
    expect(() => actorsSource(trends, { kind: 'trends', series: 0, day: null, label: '', value: 1, persons: true })).toThrow();
    expect(bucketsProbe({ ...trends, dateRange: { date_from: '-30d' }, interval: 'week' })).toEqual({
      kind: 'TrendsQuery',
      series: [{ kind: 'EventsNode', event: '$sightline_bucket_probe', math: 'total' }],
      interval: 'week',
      dateRange: { date_from: '-30d' },
    });
  });

  it('funnels: reached step n is n, dropped off before it is -n, always on the steps view', () => {
    const f: FunnelsQuery = { ...(defaultQuery('FunnelsQuery') as FunnelsQuery), series: [{ kind: 'EventsNode', event: 'a' }, { kind: 'EventsNode', event: 'b' }], funnelsFilter: { funnelVizType: 'trends' } };
    const reached = actorsSource(f, { kind: 'funnel', step: 2, dropOff: false, label: '', value: 1 });
    expect(reached).toMatchObject({ kind: 'FunnelsActorsQuery', funnelStep: 2, source: { funnelsFilter: { funnelVizType: 'steps' } } });
    const dropped = actorsSource(f, { kind: 'funnel', step: 2, dropOff: true, breakdown: ['Chrome'], label: '', value: 1 });
    expect(dropped).toMatchObject({ funnelStep: -2, funnelStepBreakdown: ['Chrome'] });
  });

  it('retention, lifecycle and stickiness', () => {
    const r = defaultQuery('RetentionQuery') as RetentionQuery;
    expect(actorsSource(r, { kind: 'retention', cohort: 3, period: 2, label: '', value: 1 })).toMatchObject({ kind: 'InsightActorsQuery', interval: 3, returnPeriod: 2 });
    expect(actorsSource(r, { kind: 'retention', cohort: 3, period: 0, label: '', value: 1 })).not.toHaveProperty('returnPeriod');
    expect(actorsSource(defaultQuery('LifecycleQuery'), { kind: 'lifecycle', day: '2026-12-01', status: 'dormant', label: '', value: 1 })).toMatchObject({
      day: '2026-12-01',
      status: 'dormant',
    });
    expect(actorsSource(defaultQuery('StickinessQuery'), { kind: 'stickiness', series: 0, intervals: 3, label: '', value: 1 })).toMatchObject({ day: 3, series: 0 });
  });
});

describe('the list and its CSV', () => {
  const results = [
    [{ id: 'u1', uuid: 'u1', distinct_ids: ['a@x.com', 'dev-1'], properties: { email: 'a@x.com', plan: 'pro' }, is_identified: true, created_at: '2026-12-01T00:00:00Z' }, 'u1'],
    [{ id: 'u2', uuid: 'u2', distinct_ids: [], properties: {}, is_identified: false, created_at: null }, 'u2'],
  ];
  it('rows become persons the table can show', () => {
    const persons = actorsToPersons(results);
    expect(persons.map((p) => [p.uuid, p.distinct_ids.length, p.created_at])).toEqual([['u1', 2, '2026-12-01T00:00:00Z'], ['u2', 0, '']]);
  });
  it('quotes what would break a row and keeps formulas from running', () => {
    const persons = actorsToPersons([[{ id: 'u3', properties: { note: 'a, "b"\nc', evil: '=HYPERLINK("x")' } }, 'u3'], ...results]);
    const csv = personsCsv(persons).split('\r\n');
    expect(csv[0]).toBe('person_id,name,distinct_ids,created_at,email,evil,note,plan');
    expect(csv[1]).toBe('u3,Anonymous,,,,"\'=HYPERLINK(""x"")","a, ""b""\nc",');
    expect(csv[2]).toBe('u1,a@x.com,a@x.com dev-1,2026-12-01T00:00:00Z,a@x.com,,,pro');
  });
});
