// Usage metering seen from the official SDKs and the web app:
//   node usage.mjs <server-url> <project-token> <email> <password> <project-id> <screenshot-dir>
// 1. posthog-node sends identified events, anonymous ones ($process_person_profile: false) and
//    events that are not billed ($feature_flag_called, survey shown), some with timestamps on both
//    sides of a month start (2025-12-31 23:59:58 and 2026-01-01 00:00:02 UTC).
// 2. posthog-js in Debian's chromium, with person_profiles: 'identified_only', browses anonymously,
//    asks for a flag, is shown a survey, identifies, and goes on identified.
// 3. The signed-in administrator opens the usage page for this month and for January 2026, reads
//    the counts it shows, switches the chart to its table, sets a limit in the editor, and takes
//    screenshots.
// Prints JSON: the events each SDK put on the wire, what the page showed, the browser console errors.
import { PostHog } from 'posthog-node';
import { mkdirSync } from 'node:fs';
import { desktopUserAgent, chromiumMajorVersion, launchChromium, hideWebdriver, serveSite, posthogPage, producedEvents } from './chromium.mjs';
import { runId, batchRecorder, decodeEvents, succeed, fail } from './wire.mjs';

const [serverUrl, token, email, password, projectId, screenshots] = process.argv.slice(2);
if (!screenshots) fail('usage: node usage.mjs <server-url> <project-token> <email> <password> <project-id> <screenshot-dir>');
const run = runId();
const STEP_TIMEOUT_MS = 30000;

// --- 1. posthog-node ---
const node = batchRecorder();
const client = new PostHog(token, { host: serverUrl, fetch: node.fetch, flushAt: 100, flushInterval: 0, fetchRetryCount: 0 });
const errors = [];
client.on('error', (error) => errors.push(String(error?.stack ?? error)));
const user = `usage-node-user-${run}`;
const job = `usage-node-job-${run}`;
for (let i = 0; i < 3; i++) client.capture({ distinctId: user, event: 'order placed', properties: { amount: 10 + i } });
for (let i = 0; i < 4; i++) client.capture({ distinctId: job, event: 'report generated', properties: { $process_person_profile: false } });
client.capture({ distinctId: user, event: '$feature_flag_called', properties: { $feature_flag: 'beta', $feature_flag_response: false } });
client.capture({ distinctId: user, event: 'survey shown', properties: { $survey_id: 'usage-survey' } });
for (const [event, at] of [['month ends', '2025-12-31T23:59:58Z'], ['month begins', '2026-01-01T00:00:02Z']]) {
  client.capture({ distinctId: user, event, timestamp: new Date(at) });
  client.capture({ distinctId: job, event, timestamp: new Date(at), properties: { $process_person_profile: false } });
}
await client.shutdown(15000);
if (errors.length > 0) fail('posthog-node reported errors', { errors });
if (node.statuses.some((s) => s >= 300)) fail('the server refused posthog-node', { statuses: node.statuses });

// --- 2. posthog-js in chromium ---
const { site, siteUrl } = await serveSite({
  '/shop': posthogPage({ title: 'Shop', token, serverUrl, options: { person_profiles: 'identified_only', request_queue_config: { flush_interval_ms: 300 } } }),
});
const wire = new Map();
const pending = new Set();
let lastActivity = Date.now();
const consoleErrors = [];
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
const shown = {};
const shots = [];
let browserEvents = [];
try {
  mkdirSync(screenshots, { recursive: true });
  browser = await launchChromium(desktopUserAgent(chromiumMajorVersion()));
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  await hideWebdriver(context);
  context.on('request', (request) => {
    if (isServer(request)) {
      pending.add(request);
      lastActivity = Date.now();
    }
  });
  const finished = async (request) => {
    if (!isServer(request)) return;
    const body = request.postDataBuffer();
    if (request.method() === 'POST' && body && /^\/(e|i\/v0\/e|batch)\/?$/.test(new URL(request.url()).pathname)) {
      const status = (await request.response())?.status();
      if (status !== 200) consoleErrors.push(`capture answered ${status}`);
      for (const e of decodeEvents(body, (await request.allHeaders())['content-type'] ?? '')) wire.set(e.uuid, e);
    }
    pending.delete(request);
    lastActivity = Date.now();
  };
  context.on('requestfinished', finished);
  context.on('requestfailed', (request) => {
    if (isServer(request)) consoleErrors.push(`request failed: ${request.url()}`);
    pending.delete(request);
  });

  const tab = await context.newPage();
  tab.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  tab.on('pageerror', (e) => consoleErrors.push(String(e)));
  await tab.goto(`${siteUrl}/shop`);
  await tab.evaluate(() => window.posthogLoaded);
  await tab.evaluate(() => posthog.capture('browser product viewed', { sku: 'SKU-1' }));
  await settle('the flags and the anonymous events', async () => [...wire.values()].some((e) => e.event === 'browser product viewed'));
  // not billed: a flag asked for (posthog-js may send $feature_flag_called for it) and a survey shown
  await tab.evaluate(() => posthog.getFeatureFlag('usage-beta'));
  await tab.evaluate(() => posthog.capture('survey shown', { $survey_id: 'usage-survey' }));
  const browserUser = `usage-web-user-${run}`;
  await tab.evaluate((id) => posthog.identify(id, { email: `${id}@example.com` }), browserUser);
  await tab.evaluate(() => posthog.capture('browser signed up', { method: 'email' }));
  await settle('the identified events', async () => {
    browserEvents = await producedEvents(tab);
    return browserEvents.length > 0 && browserEvents.every((e) => wire.has(e.uuid));
  });
  await tab.close();

  // --- 3. the usage page, signed in ---
  const login = await context.request.post(`${serverUrl}/api/login/`, { data: { email, password } });
  if (login.status() !== 200) fail('sign-in failed: ' + login.status());
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(`[usage page] ${m.text()}`));
  page.on('pageerror', (e) => consoleErrors.push(`[usage page] ${e}`));
  const read = async (testId) => (await page.getByTestId(testId).innerText()).replace(/[^0-9]/g, '');
  const readCounts = async () => ({
    identified: Number(await read('usage-identified-value')),
    anonymous: Number(await read('usage-anonymous-value')),
    not_billed: Number(await read('usage-not-billed-value')),
  });

  await page.goto(`${serverUrl}/project/${projectId}/usage`);
  await page.getByTestId('usage-identified-value').waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.waitForFunction(() => document.querySelector('[data-testid=usage-chart] canvas'), null, { timeout: STEP_TIMEOUT_MS });
  shown.current = await readCounts();
  shown.saving = await page.getByTestId('usage-saving').innerText();
  await page.screenshot({ path: `${screenshots}/usage.png`, fullPage: true });
  shots.push('usage.png');

  await page.getByTestId('usage-view').getByText('Table').click();
  const rows = await page.getByTestId('usage-daily-table').locator('tbody tr').count();
  shown.dailyRows = rows;

  await page.getByTestId('usage-limit-input-identified').fill('1,000,000');
  await page.getByTestId('usage-limits-save').click();
  await page.getByTestId('usage-limit-state-identified').filter({ hasText: 'ok' }).waitFor({ timeout: STEP_TIMEOUT_MS });

  await page.goto(`${serverUrl}/project/${projectId}/usage?month=2026-01`);
  await page.getByTestId('usage-identified-value').waitFor({ timeout: STEP_TIMEOUT_MS });
  shown.january = await readCounts();
  await page.screenshot({ path: `${screenshots}/usage-2026-01.png`, fullPage: true });
  shots.push('usage-2026-01.png');

  await page.goto(`${serverUrl}/project/${projectId}/usage?month=2024-02`);
  await page.getByTestId('usage-empty').waitFor({ timeout: STEP_TIMEOUT_MS });
  shown.emptyMonth = true;
  await page.screenshot({ path: `${screenshots}/usage-empty.png`, fullPage: true });
  shots.push('usage-empty.png');

  await browser.close();
  browser = undefined;
} catch (error) {
  fail('the browser part failed: ' + (error?.stack ?? error), { consoleErrors });
} finally {
  if (browser) await browser.close();
  site.close();
}

succeed({ node: { events: node.events }, browser: { events: browserEvents, user: `usage-web-user-${run}` }, shown, consoleErrors, screenshots: shots });
