// What the persons and events pages list, read from their URL. The pages and the app's early start
// (early.ts) read it the same way, so the request started early is the one the page asks for.
import type { EventsQuery, PersonsQuery } from '../api';
import { decodeFilters } from './urlCodec';

export type PersonsListQuery = Required<Pick<PersonsQuery, 'search' | 'properties' | 'order'>>;

export function personsQueryFromParams(params: URLSearchParams): PersonsListQuery {
  return {
    search: params.get('search') ?? '',
    properties: decodeFilters(params.get('filters')),
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
  };
}

export function eventsQueryFromParams(params: URLSearchParams): Omit<EventsQuery, 'cursor'> {
  return {
    event: params.get('event') || undefined,
    properties: decodeFilters(params.get('filters')),
    after: params.get('from') || undefined,
    before: params.get('to') || undefined,
  };
}

/** Rows per page of every list. */
export const PAGE_SIZE = 100;
