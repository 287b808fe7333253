import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('./pages', () => ({
  pageModules: new Proxy({}, { get: () => () => Promise.resolve({}) }),
}));

const { startPage } = await import('./early');
const { fillCache } = await import('./boot');
const { request, takeBootAnswers } = await import('./api');

/** A server that answers every GET with a small JSON body and counts what was asked. */
function fakeServer(signedIn: boolean) {
  const asked: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    asked.push(url);
    const body = url.startsWith('/api/setup/')
      ? { needs_setup: false, signed_in: signedIn }
      : url === '/api/users/@me/'
        ? { id: 1, email: 'ada@example.com', team: { id: 2, name: 'Default project' } }
      : url.includes('/persons/') || url.includes('/events/') || url.includes('/timeline/')
        ? { next: null, results: [], sessions: [] }
        : url.endsWith('/merges/')
          ? { results: [] }
          : { id: 1, name: 'x', results: [] };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
  });
  return asked;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

afterEach(() => vi.unstubAllGlobals());

describe('the early start', () => {
  it.each([
    ['/project/2/persons', '?search=ada&order=asc&filters=%5B%7B%22key%22%3A%22plan%22%2C%22operator%22%3A%22exact%22%2C%22value%22%3A%22free%22%2C%22type%22%3A%22person%22%7D%5D'],
    ['/project/2/events', '?event=%24pageview'],
    ['/project/2/person/abc', ''],
    ['/', ''],
  ])('asks for %s%s once: the app takes its answers instead of asking again', async (pathname, search) => {
    const asked = fakeServer(true);
    startPage({ pathname, search });
    await settle();
    const early = [...asked];
    expect(early).toContain('/api/setup/');
    // the page's own data too (for `/`, the persons of the user's first project)
    expect(early.some((u) => /\/(persons|events|timeline)\//.test(u))).toBe(true);
    fillCache(new QueryClient(), { pathname, search });
    await settle();
    // every request the cache made was one of the early ones, taken, not asked again
    expect(asked).toEqual(early);
  });

  it('asks for a dashboard with its tiles beside the sign-in check, and the page takes that answer', async () => {
    const asked = fakeServer(true);
    startPage({ pathname: '/project/2/dashboard/5', search: '' });
    await settle();
    expect(asked).toContain('/api/projects/2/dashboards/5/');
    const n = asked.length;
    const { getDashboard } = await import('./api/insights');
    await getDashboard(2, 5);
    expect(asked.length).toBe(n);
  });

  it('does not ask for the persons of a first project whose traffic is anonymous only (its home is web analytics)', async () => {
    const asked = fakeServer(true);
    const plain = globalThis.fetch;
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) =>
      url === '/api/projects/2/'
        ? (asked.push(url), new Response(JSON.stringify({ id: 2, has_events: true, has_identified_persons: false }), { status: 200, headers: { 'Content-Type': 'application/json' } }))
        : plain(url, init),
    );
    startPage({ pathname: '/', search: '' });
    await settle();
    expect(asked).toContain('/api/projects/2/');
    expect(asked.some((u) => u.includes('/persons/'))).toBe(false);
    const early = [...asked];
    fillCache(new QueryClient(), { pathname: '/', search: '' });
    await settle();
    expect(asked).toEqual(early);
  });

  it('asks nothing that needs a session when the browser is signed out', async () => {
    const asked = fakeServer(false);
    startPage({ pathname: '/project/2/persons', search: '' });
    await settle();
    expect(asked).toEqual(['/api/setup/']);
  });

  it('does not hand an answer to a later visit', async () => {
    const asked = fakeServer(true);
    startPage({ pathname: '/project/2/persons', search: '' });
    await settle();
    const n = asked.length;
    await request('/api/projects/2/');
    expect(asked.length).toBe(n); // taken once
    await request('/api/projects/2/');
    expect(asked.length).toBe(n + 1); // then asked again
  });

  it('takes the status and the user from the page itself, and asks the dashboard at once, then nothing again', async () => {
    const asked = fakeServer(true);
    const boot = { textContent: JSON.stringify({ setup: { needs_setup: false, signed_in: true }, me: { id: 1, email: 'ada@example.com', team: { id: 2 } } }) };
    takeBootAnswers({ getElementById: (id: string) => (id === 'sightline-boot' ? boot : null) });
    startPage({ pathname: '/project/2/dashboard/5', search: '' });
    await Promise.resolve();
    await Promise.resolve();
    // no round trip before the page's data: the dashboard is asked in the same turn as the start
    expect(asked).not.toContain('/api/setup/');
    expect(asked).not.toContain('/api/users/@me/');
    expect(asked).toContain('/api/projects/2/dashboards/5/');
    await settle();
    const early = [...asked];
    fillCache(new QueryClient(), { pathname: '/project/2/dashboard/5', search: '' });
    await settle();
    expect(asked).toEqual(early);
    // the boot answers serve the first ask only: a later status check asks the server
    await request('/api/setup/');
    expect(asked.at(-1)).toBe('/api/setup/');
  });

  it('takes the page\'s own first data from the page, and asks only what it does not carry', async () => {
    const asked = fakeServer(true);
    const boot = {
      textContent: JSON.stringify({
        setup: { needs_setup: false, signed_in: true },
        me: { id: 1, email: 'ada@example.com', team: { id: 2 } },
        answers: { '/api/projects/': { results: [] }, '/api/projects/2/dashboards/5/': { id: 5, name: 'Overview', tiles: [] } },
      }),
    };
    takeBootAnswers({ getElementById: (id: string) => (id === 'sightline-boot' ? boot : null) });
    startPage({ pathname: '/project/2/dashboard/5', search: '' });
    await settle();
    expect(asked).toEqual(['/api/projects/2/']);
    // the app takes them (status, user, projects, the dashboard) without asking
    const client = new QueryClient();
    fillCache(client, { pathname: '/project/2/dashboard/5', search: '' });
    await settle();
    expect(asked).toEqual(['/api/projects/2/']);
    expect(client.getQueryData<{ name: string }>(['dashboard', '2', '5'])?.name).toBe('Overview');
  });

  it('asks for itself when the page carries no boot answers or broken ones', async () => {
    const asked = fakeServer(true);
    takeBootAnswers({ getElementById: () => ({ textContent: '{not json' }) });
    startPage({ pathname: '/project/2/persons', search: '' });
    await settle();
    expect(asked[0]).toBe('/api/setup/');
  });
});
