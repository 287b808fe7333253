// The way most sites install posthog-js: an inline loader in the page that queues calls on a stub
// `window.posthog` and adds <script src="<api_host>/static/array.js">; the SDK that loads then
// replays the queue (init first) and lazily loads more of its bundles from <api_host>/static/.
//   node snippet.mjs <server-url> <project-token>
// The loader below is written for this test to the protocol posthog-js' array.js reads (a stub
// array with `_i` holding the init arguments, `__SV` set, methods queued as [name, ...args]); the
// Sightline server serves array.js and every lazy bundle from the posthog-js package its build pins.
// Prints JSON: every request the page made to the server with its status, and the events sent.
import { chromiumMajorVersion, desktopUserAgent, launchChromium, hideWebdriver, serveSite } from './chromium.mjs';
import { serverArgs, runId, decodeEvents, succeed, fail } from './wire.mjs';

const { url: serverUrl, token } = serverArgs();
const user = `snippet-user-${runId()}`;

const loader = `
(function (doc, stub) {
  if (stub.__SV) return;
  window.posthog = stub;
  stub._i = [];
  stub.init = function (apiKey, config, name) {
    var script = doc.createElement('script');
    script.type = 'text/javascript';
    script.crossOrigin = 'anonymous';
    script.async = true;
    script.src = config.api_host + '/static/array.js';
    var first = doc.getElementsByTagName('script')[0];
    first.parentNode.insertBefore(script, first);
    var target = stub;
    if (name !== undefined) { target = stub[name] = []; } else { name = 'posthog'; }
    target.people = target.people || [];
    ['capture', 'identify', 'register', 'reset', 'alias', 'setPersonProperties', 'group', 'getFeatureFlag',
     'isFeatureEnabled', 'onFeatureFlags', 'get_distinct_id'].forEach(function (method) {
      target[method] = function () { target.push([method].concat(Array.prototype.slice.call(arguments, 0))); };
    });
    stub._i.push([apiKey, config, name]);
  };
  stub.__SV = 1;
})(document, window.posthog || []);
`;

const page = `<!doctype html>
<html><head><meta charset="utf-8"><title>Snippet site</title>
<script>${loader}</script>
<script>
  posthog.init(${JSON.stringify(token)}, {
    api_host: ${JSON.stringify(serverUrl)},
    person_profiles: 'identified_only',
    capture_exceptions: true,
    capture_dead_clicks: true,
    capture_performance: { web_vitals: true },
    request_queue_config: { flush_interval_ms: 300 },
    loaded: function () { window.snippetLoaded = true; },
  });
  posthog.capture('snippet page opened', { queued: 'before the SDK loaded' });
  posthog.identify(${JSON.stringify(user)}, { email: 'snippet@example.com' });
  posthog.capture('snippet signed in');
</script>
</head><body><h1>Snippet site</h1></body></html>`;

const { site, siteUrl } = await serveSite({ '/': page });
const browser = await launchChromium(desktopUserAgent(chromiumMajorVersion()));
const requests = [];
const consoleErrors = [];
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await hideWebdriver(context);
  const tab = await context.newPage();
  tab.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  tab.on('pageerror', (e) => consoleErrors.push(String(e)));
  const pending = [];
  tab.on('requestfinished', (request) => {
    if (!request.url().startsWith(serverUrl + '/')) return;
    pending.push((async () => {
      const response = await request.response();
      const target = new URL(request.url());
      const body = request.postDataBuffer();
      let events = [];
      if (request.method() === 'POST' && body && /^\/(e|i\/v0\/e|batch)\/?$/.test(target.pathname)) {
        try { events = decodeEvents(body, (await request.allHeaders())['content-type'] ?? '').map((e) => e.event); } catch { events = ['<undecodable>']; }
      }
      requests.push({ method: request.method(), path: target.pathname, status: response ? response.status() : null,
        cacheControl: response ? (await response.allHeaders())['cache-control'] ?? null : null, events });
    })());
  });
  tab.on('requestfailed', (request) => {
    if (request.url().startsWith(serverUrl + '/')) requests.push({ method: request.method(), path: new URL(request.url()).pathname, status: null, failure: request.failure()?.errorText });
  });
  await tab.goto(siteUrl + '/');
  await tab.waitForFunction(() => window.snippetLoaded === true, null, { timeout: 30000 });
  // wait until both queued events have left the browser, and lazy bundles have loaded
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    await Promise.all(pending);
    const sent = requests.flatMap((r) => r.events);
    const lazy = requests.filter((r) => r.path.startsWith('/static/') && r.path !== '/static/array.js');
    if (sent.includes('snippet page opened') && sent.includes('snippet signed in') && lazy.length >= 2) break;
    await tab.waitForTimeout(250);
  }
  await Promise.all(pending);
} catch (e) {
  fail('the snippet page failed: ' + e, { requests, consoleErrors });
} finally {
  await browser.close();
  site.close();
}
succeed({ user, requests, consoleErrors });
