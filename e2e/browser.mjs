// Drives the official posthog-js SDK in Debian's chromium against a Sightline server:
//   node browser.mjs <server-url> <project-token>
// A tiny web site on 127.0.0.1 (another origin than the server, as on a real site) loads
// posthog-js from node_modules. Two pages exercise every way posthog-js sends events:
//   /shop      default config: the server's remote config advertises gzip, so batches go out by
//              fetch as gzip bodies labelled text/plain. Clicking away flushes the queue and
//              $pageleave through navigator.sendBeacon during `pagehide`.
//   /checkout  disable_compression: batches go out by fetch as application/json (after a CORS
//              preflight), and a capture with transport 'sendBeacon' goes out as base64 form data.
// Prints JSON: every request the browser made to the server (from playwright's network events:
// resource type, content type, body shape, status, the event uuids in the body) and every event
// the SDK sent (copied in `before_send`, which leaves the event unchanged).
// Set SIGHTLINE_E2E_DEBUG=1 to see the SDK's debug log on stderr.
import { chromiumMajorVersion, desktopUserAgent, launchChromium, hideWebdriver, serveSite, posthogPage, producedEvents } from './chromium.mjs';
import { serverArgs, packageVersion, runId, decodeEvents, bodyShape, succeed, fail } from './wire.mjs';

const { url: serverUrl, token } = serverArgs();
const user = `web-user-${runId()}`;
const STEP_TIMEOUT_MS = 30000;
const debug = Boolean(process.env.SIGHTLINE_E2E_DEBUG);


// Both pages send $pageleave and flush often; /checkout turns compression off.
function sitePage(title, options) {
  return posthogPage({ title, token, serverUrl, debug, body: '<a id="next" href="/checkout">Checkout</a>',
    options: { capture_pageleave: true, request_queue_config: { flush_interval_ms: 300 }, ...options } });
}

const pages = {
  '/shop': sitePage('Shop', {}),
  '/checkout': sitePage('Checkout', { disable_compression: true }),
};
const { site, siteUrl } = await serveSite(pages);

// What the browser sent to the server, in the order the requests completed.
const requests = [];
const sentOnWire = new Map();
const pending = new Set();
let lastActivity = Date.now();

const isServerRequest = (request) => request.url().startsWith(serverUrl + '/');

async function record(request, outcome) {
  const response = outcome === 'finished' ? await request.response() : null;
  const headers = await request.allHeaders();
  // Chromium does not hand sendBeacon bodies to the driver: those record as shape "empty".
  const body = request.postDataBuffer() ?? Buffer.alloc(0);
  const target = new URL(request.url());
  const entry = {
    method: request.method(),
    path: target.pathname + target.search,
    resourceType: request.resourceType(),
    contentType: headers['content-type'] ?? null,
    shape: request.method() === 'POST' ? bodyShape(body, headers['content-type'] ?? '') : 'none',
    status: response ? response.status() : null,
    failure: outcome === 'failed' ? request.failure()?.errorText ?? 'failed' : null,
    events: [],
  };
  if (request.method() === 'POST' && body.length > 0 && /^\/(e|i\/v0\/e|capture|track|batch)\/?$/.test(target.pathname)) {
    try {
      for (const event of decodeEvents(body, entry.contentType ?? '')) {
        entry.events.push(event.uuid);
        sentOnWire.set(event.uuid, { event, request: entry });
      }
    } catch (error) {
      entry.failure = 'undecodable body: ' + error;
    }
  }
  requests.push(entry);
  pending.delete(request);
  lastActivity = Date.now();
}

/** Waits until no request to the server is in flight, the network was quiet a moment, and `done()`. */
async function settle(what, done) {
  const until = Date.now() + STEP_TIMEOUT_MS;
  while (Date.now() < until) {
    if (pending.size === 0 && Date.now() - lastActivity > 400 && await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}; in flight: ${[...pending].map((r) => r.url()).join(', ') || 'nothing'}`);
}

const wireNames = () => [...sentOnWire.values()].map((s) => s.event.event);
let produced = [];
const readProduced = async (tab) => (produced = await producedEvents(tab));
const base64Beacon = () => requests.some((r) => r.resourceType === 'ping' && r.path.includes('compression=base64'));

let browser;
const consoleErrors = [];
try {
  // A normal desktop browser: posthog-js drops the events of anything that looks like a bot.
  const major = chromiumMajorVersion();
  browser = await launchChromium(desktopUserAgent(major));
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    timezoneId: 'Europe/Zurich',
  });
  await hideWebdriver(context);
  context.on('request', (request) => {
    if (isServerRequest(request)) {
      pending.add(request);
      lastActivity = Date.now();
    }
  });
  context.on('requestfinished', (request) => isServerRequest(request) && record(request, 'finished'));
  context.on('requestfailed', (request) => isServerRequest(request) && record(request, 'failed'));

  const tab = await context.newPage();
  tab.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
    if (debug) process.stderr.write(`[page ${message.type()}] ${message.text()}\n`);
  });
  tab.on('pageerror', (error) => consoleErrors.push(String(error)));

  // /shop: an anonymous pageview and custom event, identify, an identified event.
  await tab.goto(`${siteUrl}/shop?utm_source=sightline-e2e&utm_campaign=launch`, { referer: 'https://www.example.org/blog/post' });
  await tab.evaluate(() => window.posthogLoaded);
  const anonymous = await tab.evaluate(() => posthog.get_distinct_id());
  await tab.evaluate(() => posthog.capture('browser product viewed', {
    sku: 'SKU-42', price: 19.99, in_stock: true, colors: ['red', 'green'], dimensions: { w: 10, h: 20 },
  }));
  await settle('the anonymous events', () => wireNames().includes('browser product viewed'));
  await tab.evaluate((id) => posthog.identify(id, { email: `${id}@example.com`, plan: 'free' }, { first_visit_page: 'shop' }), user);
  await tab.evaluate(() => posthog.capture('browser signed up', { method: 'email' }));
  await settle('identify', () => wireNames().includes('browser signed up'));

  // Clicking away from /shop sends $pageleave by beacon; /checkout sends JSON and a base64 beacon.
  await Promise.all([tab.waitForURL('**/checkout'), tab.click('#next')]);
  await tab.evaluate(() => window.posthogLoaded);
  await tab.evaluate(() => posthog.capture('browser checkout started', { cart_total: 59.97, currency: 'CHF' }, { transport: 'sendBeacon' }));
  await settle('the checkout events', async () => (await readProduced(tab)).some((e) => e.event === 'browser checkout started')
    && wireNames().filter((n) => n === '$pageview').length === 2 && base64Beacon());

  const identified = await tab.evaluate(() => posthog.get_distinct_id());
  const libVersion = await tab.evaluate(() => posthog.version);
  await browser.close();
  browser = undefined;

  const refused = requests.filter((r) => r.failure || r.status === null || r.status >= 300);
  if (refused.length > 0) fail('requests to the server failed', { refused, consoleErrors });
  const producedIds = new Set(produced.map((e) => e.uuid));
  const unknown = [...sentOnWire.keys()].filter((uuid) => !producedIds.has(uuid));
  if (unknown.length > 0) fail('events on the wire that before_send never saw', { unknown, requests });
  succeed({
    lib: 'web',
    libVersion,
    packageVersion: packageVersion('posthog-js'),
    browserVersion: major,
    siteUrl,
    distinctIds: { anonymous, user: identified },
    requests,
    // Every event the SDK sent; `sentBy` names the request shape that carried it. Events absent
    // from every readable body went by sendBeacon, whose bodies the driver cannot read.
    events: produced.map((event) => ({ ...event, sentBy: wireShape(sentOnWire.get(event.uuid)?.request) })),
    consoleErrors,
  });
} catch (error) {
  fail(String(error?.stack ?? error), {
    requests,
    wire: wireNames(),
    produced: produced.map((e) => e.event),
    consoleErrors,
  });
} finally {
  if (browser) await browser.close().catch(() => {});
  site.close();
}

function wireShape(request) {
  return request ? `${request.resourceType}:${request.shape}` : 'sendBeacon';
}
