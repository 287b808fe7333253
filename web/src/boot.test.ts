import { describe, expect, it } from 'vitest';
import { routeOf } from './route';
import { eventsQueryFromParams } from './features/events/queries';
import { personsQueryFromParams } from './features/persons/queries';

describe('routeOf (which page the early start prepares)', () => {
  it('reads the app routes', () => {
    expect(routeOf('/')).toEqual({ page: 'root' });
    expect(routeOf('/login')).toEqual({ page: 'login' });
    expect(routeOf('/setup')).toEqual({ page: 'setup' });
    expect(routeOf('/invite/abc')).toEqual({ page: 'invite' });
    expect(routeOf('/project/2')).toEqual({ page: 'persons', projectId: '2' });
    expect(routeOf('/project/2/persons')).toEqual({ page: 'persons', projectId: '2' });
    expect(routeOf('/project/2/persons/')).toEqual({ page: 'persons', projectId: '2' });
    expect(routeOf('/project/2/events')).toEqual({ page: 'events', projectId: '2' });
    expect(routeOf('/project/2/settings')).toEqual({ page: 'settings', projectId: '2' });
    expect(routeOf('/project/2/person/a%2Fb')).toEqual({ page: 'person', projectId: '2', uuid: 'a/b' });
    expect(routeOf('/project/2/nowhere')).toEqual({ page: 'other' });
    expect(routeOf('/elsewhere')).toEqual({ page: 'other' });
  });
});

describe('list queries from the URL', () => {
  it('match what the pages ask for', () => {
    const filters = [{ key: 'plan', operator: 'exact', value: 'free', type: 'person' }];
    expect(personsQueryFromParams(new URLSearchParams(`search=ada&order=asc&filters=${encodeURIComponent(JSON.stringify(filters))}`))).toEqual({
      search: 'ada',
      properties: filters,
      order: 'asc',
    });
    expect(personsQueryFromParams(new URLSearchParams(''))).toEqual({ search: '', properties: [], order: 'desc' });
    expect(eventsQueryFromParams(new URLSearchParams('event=%24pageview&from=2026-01-01T00%3A00%3A00Z'))).toEqual({
      event: '$pageview',
      properties: [],
      after: '2026-01-01T00:00:00Z',
      before: undefined,
    });
  });
});
