// One person on two devices, with the official posthog-js SDK in Debian's chromium:
//   node two-devices.mjs <server-url> <project-token>
// Two browser contexts (each its own cookies and storage, so each its own anonymous distinct id and
// $device_id) visit a small site on 127.0.0.1 with posthog-js's default `person_profiles:
// 'identified_only'`: a laptop (desktop Chrome) and a phone (the Facebook app's in-app browser on an
// iPhone, with its own user agent). Each browses anonymously (several $pageviews by real page loads
// and a custom event), then both call posthog.identify() with the same user id, the laptop first,
// and each sends one more event as the user.
// Prints JSON: the user id, and for each device its anonymous distinct id, user agent and every
// event the SDK sent (copied in `before_send`, which leaves the event unchanged), and every request
// the browsers made to the server.
// Set SIGHTLINE_E2E_DEBUG=1 to see the SDK's debug log on stderr.
import { serverArgs, packageVersion, runId, decodeEvents, succeed, fail } from './wire.mjs';
import { chromiumMajorVersion, desktopUserAgent, launchChromium, hideWebdriver, serveSite, posthogPage, producedEvents } from './chromium.mjs';

const { url: serverUrl, token } = serverArgs();
const user = `same-user-${runId()}@example.com`;
const STEP_TIMEOUT_MS = 20000;
const debug = Boolean(process.env.SIGHTLINE_E2E_DEBUG);
const PHONE_USER_AGENT = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 '
  + '(KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/466.0.0.38.108;FBBV/614478843;FBDV/iPhone15,2;'
  + 'FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5;FBRV/616284640]';


// Every page loads posthog-js with its defaults for persons (identified_only) and no $pageleave:
// the pages are left only once everything the SDK produced is on the wire.
function sitePage(title) {
  return posthogPage({ title, token, serverUrl, debug,
    options: { capture_pageleave: false, request_queue_config: { flush_interval_ms: 200 } } });
}

const pages = { '/': sitePage('Home'), '/pricing': sitePage('Pricing'), '/docs': sitePage('Docs') };
const { site, siteUrl } = await serveSite(pages);

const requests = [];
const consoleErrors = [];

/** One device: a browser context of its own, and what it put on the wire. */
async function openDevice(browser, name, contextOptions) {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Europe/Zurich', ...contextOptions });
  await hideWebdriver(context);
  const device = { name, context, pending: new Set(), onWire: new Set(), lastActivity: Date.now(), produced: [] };
  const isServerRequest = (request) => request.url().startsWith(serverUrl + '/');
  const record = async (request, outcome) => {
    const response = outcome === 'finished' ? await request.response() : null;
    const headers = await request.allHeaders();
    const body = request.postDataBuffer() ?? Buffer.alloc(0);
    const target = new URL(request.url());
    const entry = {
      device: name,
      method: request.method(),
      path: target.pathname + target.search,
      status: response ? response.status() : null,
      failure: outcome === 'failed' ? request.failure()?.errorText ?? 'failed' : null,
      events: [],
    };
    if (request.method() === 'POST' && body.length > 0 && /^\/(e|i\/v0\/e|batch)\/?$/.test(target.pathname)) {
      try {
        for (const event of decodeEvents(body, headers['content-type'] ?? '')) {
          entry.events.push(event.uuid);
          device.onWire.add(event.uuid);
        }
      } catch (error) {
        entry.failure = 'undecodable body: ' + error;
      }
    }
    requests.push(entry);
    device.pending.delete(request);
    device.lastActivity = Date.now();
  };
  context.on('request', (request) => {
    if (isServerRequest(request)) {
      device.pending.add(request);
      device.lastActivity = Date.now();
    }
  });
  context.on('requestfinished', (request) => isServerRequest(request) && record(request, 'finished'));
  context.on('requestfailed', (request) => isServerRequest(request) && record(request, 'failed'));
  device.tab = await context.newPage();
  device.tab.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${name}: ${message.text()}`);
    if (debug) process.stderr.write(`[${name} ${message.type()}] ${message.text()}\n`);
  });
  device.tab.on('pageerror', (error) => consoleErrors.push(`${name}: ${error}`));
  return device;
}

async function readProduced(device) {
  device.produced = await producedEvents(device.tab);
  return device.produced;
}

/** Waits until the device produced an event matching `wanted` and has put everything it produced on the wire. */
async function settle(device, what, wanted) {
  const until = Date.now() + STEP_TIMEOUT_MS;
  while (Date.now() < until) {
    if (device.pending.size === 0 && Date.now() - device.lastActivity > 300) {
      const produced = await readProduced(device);
      if (produced.some(wanted) && produced.every((e) => device.onWire.has(e.uuid))) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${device.name}: timed out waiting for ${what}; produced ${device.produced.map((e) => e.event)}, `
    + `on the wire ${device.onWire.size}, in flight: ${[...device.pending].map((r) => r.url()).join(', ') || 'nothing'}`);
}

/** Anonymous browsing: one real page load per path (each a $pageview), then a custom event. */
async function browse(device, paths, event, properties) {
  for (const path of paths) {
    await device.tab.goto(siteUrl + path);
    await device.tab.evaluate(() => window.posthogLoaded);
    await settle(device, `the $pageview of ${path}`, (e) => e.event === '$pageview' && e.properties.$pathname === path);
  }
  await device.tab.evaluate(([name, props]) => posthog.capture(name, props), [event, properties]);
  await settle(device, event, (e) => e.event === event);
  device.anonymous = await device.tab.evaluate(() => posthog.get_distinct_id());
}

async function identify(device, event) {
  await device.tab.evaluate(([id, name]) => {
    posthog.identify(id, { email: id });
    posthog.capture(name);
  }, [user, event]);
  await settle(device, `$identify and ${event}`, (e) => e.event === event);
  device.identified = await device.tab.evaluate(() => posthog.get_distinct_id());
}

let browser;
try {
  const major = chromiumMajorVersion();
  browser = await launchChromium(desktopUserAgent(major));
  const laptop = await openDevice(browser, 'laptop', { viewport: { width: 1280, height: 800 } });
  const phone = await openDevice(browser, 'phone', {
    userAgent: PHONE_USER_AGENT, viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true,
  });

  await browse(laptop, ['/', '/pricing'], 'plan compared', { plans: 3 });
  await browse(phone, ['/', '/docs', '/pricing'], 'docs searched', { query: 'identify' });
  await identify(laptop, 'laptop signed in');
  await identify(phone, 'phone signed in');

  const libVersion = await laptop.tab.evaluate(() => posthog.version);
  const devices = [laptop, phone].map((d) => ({
    name: d.name,
    userAgent: null,
    anonymous: d.anonymous,
    identified: d.identified,
    events: d.produced,
  }));
  devices[0].userAgent = await laptop.tab.evaluate(() => navigator.userAgent);
  devices[1].userAgent = await phone.tab.evaluate(() => navigator.userAgent);
  await browser.close();
  browser = undefined;

  const refused = requests.filter((r) => r.failure || r.status === null || r.status >= 300);
  if (refused.length > 0) fail('requests to the server failed', { refused, consoleErrors });
  succeed({ lib: 'web', libVersion, packageVersion: packageVersion('posthog-js'), browserVersion: major, siteUrl,
    user, devices, requests, consoleErrors });
} catch (error) {
  fail(String(error?.stack ?? error), { requests, consoleErrors });
} finally {
  if (browser) await browser.close().catch(() => {});
  site.close();
}
