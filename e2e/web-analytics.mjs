// The web analytics page against traffic that posthog-js makes in the same run:
//   node web-analytics.mjs <server-url> <project-token> <email> <password> <project-id> <screenshot-dir>
// 1. posthog-js in Debian's chromium, with person_profiles: 'identified_only' (so every event is
//    personless until identify), browses a small site as two anonymous visitors: one lands with
//    ?utm_source=newsletter and reads three pages, one reads a single page on a phone-sized screen.
// 2. Signed in, the project's home opens on web analytics (only anonymous traffic so far); the page
//    shows the tiles, the trend, the tables, the map and the live counter.
// 3. A third visitor browses and identifies; the page is reloaded and read again; a click on the
//    /pricing row filters the whole page by it (a chip, and the filter in the URL); the chip is
//    removed again. Screenshots light and dark.
// Prints JSON: the events posthog-js produced, what the page showed, the API's answers for the same
// queries, and the browser console errors.
import { mkdirSync } from 'node:fs';
import { request } from 'playwright-core';
import { join } from 'node:path';
import { desktopUserAgent, chromiumMajorVersion, launchChromium, hideWebdriver, serveSite, posthogPage, producedEvents } from './chromium.mjs';
import { runId, decodeEvents, succeed, fail } from './wire.mjs';

const [serverUrl, token, email, password, projectId, screenshots] = process.argv.slice(2);
if (!screenshots) fail('usage: node web-analytics.mjs <server-url> <project-token> <email> <password> <project-id> <screenshot-dir>');
const run = runId();
const STEP_TIMEOUT_MS = 30000;
const options = { person_profiles: 'identified_only', request_queue_config: { flush_interval_ms: 300 } };
const nav = '<p><a id="home" href="/">Home</a> <a id="pricing" href="/pricing">Pricing</a> <a id="docs" href="/docs">Docs</a></p>';
const { site, siteUrl } = await serveSite({
  '/': posthogPage({ title: 'Home', token, serverUrl, options, body: nav }),
  '/pricing': posthogPage({ title: 'Pricing', token, serverUrl, options, body: nav }),
  '/docs': posthogPage({ title: 'Docs', token, serverUrl, options, body: nav }),
});

const wire = new Map();
const pending = new Set();
let lastActivity = Date.now();
const consoleErrors = [];
const produced = [];
const shots = [];
const shown = {};
const api = {};
const isServer = (request) => request.url().startsWith(serverUrl + '/');

async function settle(what, done) {
  const until = Date.now() + STEP_TIMEOUT_MS;
  while (Date.now() < until) {
    if (pending.size === 0 && Date.now() - lastActivity > 400 && (await done())) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let browser;
let reader;
try {
  mkdirSync(screenshots, { recursive: true });
  browser = await launchChromium(desktopUserAgent(chromiumMajorVersion()));
  // a signed-in reader of the events API, to see that what the visitors sent was stored
  reader = await request.newContext();
  const signIn = await reader.post(`${serverUrl}/api/login/`, { data: { email, password } });
  if (signIn.status() !== 200) fail('sign-in failed: ' + signIn.status());

  /** A visitor of its own (a context: its own cookies and storage) reading `paths` in turn; returns what posthog-js produced. */
  async function visit(paths, { viewport = { width: 1280, height: 800 }, identifyAs } = {}) {
    const context = await browser.newContext({ viewport, locale: 'en-US' });
    await hideWebdriver(context);
    context.on('request', (request) => {
      if (isServer(request)) {
        pending.add(request);
        lastActivity = Date.now();
      }
    });
    context.on('requestfinished', async (request) => {
      if (!isServer(request)) return;
      const body = request.postDataBuffer();
      if (request.method() === 'POST' && body && /^\/(e|i\/v0\/e|batch)\/?$/.test(new URL(request.url()).pathname)) {
        const status = (await request.response())?.status();
        if (status !== 200) consoleErrors.push(`capture answered ${status}`);
        for (const e of decodeEvents(body, (await request.allHeaders())['content-type'] ?? '')) wire.set(e.uuid, e);
      }
      pending.delete(request);
      lastActivity = Date.now();
    });
    let closing = false;
    context.on('requestfailed', (request) => {
      // a page leave sent by sendBeacon as the visitor's window closes may be cut off: that is the visitor leaving
      if (isServer(request) && !closing) consoleErrors.push(`request failed: ${request.url()}`);
      pending.delete(request);
    });
    const tab = await context.newPage();
    tab.on('console', (m) => m.type() === 'error' && consoleErrors.push(`[site] ${m.text()}`));
    tab.on('pageerror', (e) => consoleErrors.push(`[site] ${e}`));
    for (let i = 0; i < paths.length; i++) {
      await tab.goto(siteUrl + paths[i]);
      await tab.evaluate(() => window.posthogLoaded);
      if (identifyAs && i === 0) await tab.evaluate((id) => posthog.identify(id, { email: `${id}@example.com` }), identifyAs);
      // a reader stays a little: the session lasts beyond the bounce threshold only for multi-page visits
      await tab.waitForTimeout(300);
    }
    // page leaves go out by sendBeacon, whose bodies chromium does not show the driver; so may an
    // event still queued when the visitor moved on (posthog-js flushes its queue by beacon as a
    // page unloads): those must be stored all the same, which the events API says
    const events = await producedEvents(tab);
    const stored = new Set();
    await settle("the visitor's events", async () => {
      for (const e of events) {
        if (e.event === '$pageleave' || wire.has(e.uuid) || stored.has(e.uuid)) continue;
        if ((await reader.get(`${serverUrl}/api/projects/${projectId}/events/${e.uuid}/`)).status() === 200) stored.add(e.uuid);
      }
      return events.every((e) => e.event === '$pageleave' || wire.has(e.uuid) || stored.has(e.uuid));
    });
    closing = true;
    await context.close();
    return events;
  }

  produced.push(...(await visit(['/?utm_source=newsletter', '/pricing', '/docs'])));
  produced.push(...(await visit(['/pricing'], { viewport: { width: 390, height: 844 } })));

  // --- the page, signed in ---
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const login = await context.request.post(`${serverUrl}/api/login/`, { data: { email, password } });
  if (login.status() !== 200) fail('sign-in failed: ' + login.status());
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(`[web page] ${m.text()}`));
  page.on('pageerror', (e) => consoleErrors.push(`[web page] ${e}`));
  const testId = (id) => page.locator(`[data-testid="${id}"]`);
  const settled = async () => {
    await page.waitForFunction(() => !document.querySelector('.mantine-Skeleton-root'), null, { timeout: STEP_TIMEOUT_MS });
    await page.evaluate(() => document.fonts.ready);
    await page.waitForTimeout(300);
  };
  const shot = async (name, dark = false) => {
    await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' });
    await settled();
    const file = `${name}.png`;
    await page.screenshot({ path: join(screenshots, file), fullPage: true, animations: 'disabled' });
    shots.push(file);
  };
  const number = async (locator) => Number((await locator.innerText()).replace(/[^0-9.]/g, ''));
  const readTiles = async () => {
    const out = {};
    for (const key of ['visitors', 'views', 'sessions']) out[key] = await number(testId(`web-tile-${key}`).locator('[data-testid="web-tile-value"]'));
    return out;
  };
  const readPages = async () => {
    const rows = await testId('web-table-Page').locator('tbody tr').all();
    const out = {};
    for (const r of rows) {
      const cells = await r.locator('td').allInnerTexts();
      out[cells[0].trim()] = { visitors: Number(cells[1].replace(/[^0-9]/g, '')), views: Number(cells[2].replace(/[^0-9]/g, '')) };
    }
    return out;
  };
  const query = async (q) => {
    const csrf = (await context.cookies(serverUrl)).find((c) => c.name === 'sightline_csrf')?.value ?? '';
    const r = await context.request.post(`${serverUrl}/api/projects/${projectId}/query/`, { data: { query: q }, headers: { 'X-CSRFToken': csrf } });
    if (r.status() !== 200) throw new Error(`query ${q.kind}: ${r.status()} ${await r.text()}`);
    return r.json();
  };
  const apiTiles = async (properties = []) => {
    const o = await query({ kind: 'WebOverviewQuery', dateRange: { date_from: '-7d' }, properties, compareFilter: { compare: true } });
    return Object.fromEntries(o.results.filter((i) => ['visitors', 'views', 'sessions'].includes(i.key)).map((i) => [i.key, i.value]));
  };

  // the home of a project with anonymous traffic only is web analytics
  await page.goto(`${serverUrl}/project/${projectId}`);
  await page.waitForURL((u) => u.pathname.endsWith('/web'), { timeout: STEP_TIMEOUT_MS });
  shown.home = new URL(page.url()).pathname;
  await testId('web-tile-visitors').waitFor({ timeout: STEP_TIMEOUT_MS });
  await settled();
  shown.anonymous = await readTiles();
  api.anonymous = await apiTiles();
  shown.navFirst = (await page.locator('nav a[data-testid^="nav-"]:not([data-testid="nav-settings"])').first().getAttribute('data-testid')) ?? '';

  // a third visitor identifies; the page shows them once the data changes
  const user = `web-user-${run}`;
  produced.push(...(await visit(['/docs', '/pricing'], { identifyAs: user })));
  await page.reload();
  await testId('web-tile-visitors').waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.waitForFunction(() => document.querySelector('[data-testid="web-map"] canvas, [data-testid="web-map-empty"]'), null, { timeout: STEP_TIMEOUT_MS });
  await settled();
  shown.all = await readTiles();
  shown.pages = await readPages();
  api.all = await apiTiles();
  shown.live = await number(testId('web-live'));
  await shot('web-analytics');
  await shot('web-analytics-dark', true);
  await page.emulateMedia({ colorScheme: 'light' });

  // every tab of every card answers
  for (const tab of ['InitialPage', 'ExitPage', 'InitialUTMSource', 'Browser', 'Viewport', 'Language']) {
    await testId(`web-tab-${tab}`).click();
    await page.waitForFunction((t) => document.querySelector(`[data-testid="web-table-${t}"], [data-testid="web-table-empty"]`), tab, { timeout: STEP_TIMEOUT_MS });
  }
  shown.utmRows = await page.locator('[data-testid="web-table-InitialUTMSource"] tbody tr').allInnerTexts();
  shown.tabsInUrl = new URL(page.url()).search;

  // drill down: the /pricing row filters the whole page
  await testId('web-tab-Page').click();
  await testId('web-table-Page').locator('[data-testid="web-drill"]', { hasText: /^\/pricing$/ }).click();
  await testId('web-filter-chip').waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.waitForFunction(() => new URL(location.href).searchParams.get('filters')?.includes('/pricing'), null, { timeout: STEP_TIMEOUT_MS });
  const filters = JSON.parse(new URL(page.url()).searchParams.get('filters'));
  await page.waitForTimeout(500);
  await settled();
  shown.drilled = { chip: await testId('web-filter-chip').innerText(), tiles: await readTiles(), filters };
  api.drilled = await apiTiles(filters);
  await shot('web-analytics-filtered');
  // a reload keeps the filter; removing the chip brings everything back
  await page.reload();
  await testId('web-filter-chip').waitFor({ timeout: STEP_TIMEOUT_MS });
  await testId('web-filter-chip').getByRole('button').click();
  await page.waitForFunction(() => !new URL(location.href).searchParams.get('filters'), null, { timeout: STEP_TIMEOUT_MS });
  await settled();
  shown.unfiltered = await readTiles();

  // a phone-sized window
  await page.setViewportSize({ width: 390, height: 844 });
  await shot('web-analytics-narrow');

  await browser.close();
  browser = undefined;
} catch (error) {
  fail('the browser part failed: ' + (error?.stack ?? error), { consoleErrors, shown });
} finally {
  if (browser) await browser.close();
  if (reader) await reader.dispose();
  site.close();
}

succeed({ events: produced, user: `web-user-${run}`, shown, api, consoleErrors, screenshots: shots });
