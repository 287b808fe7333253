// The web app in Debian's chromium, driven as a person would, against a server with demo data:
//   node webapp.mjs <base-url> <set-up code> <demo project id> <demo project token> <screenshot dir>
// Sets up the first user, signs out and in, searches persons, reads a merged profile's timeline,
// splits a merged person, edits properties, creates and revokes a personal API key (called from
// node before and after), opens an invitation, deletes a person, watches events sent by posthog-js
// from another site appear live in a timeline and in the events explorer; takes a full-page
// screenshot of every page (1280×800; persons and profile also dark and 390 px wide).
// Prints JSON for WebAppBrowserTest, which checks the server's state against it. Every console
// error and page error of every tab is reported: the test wants none.
// Set SIGHTLINE_E2E_DEBUG=1 for a log of the steps on stderr.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { succeed, fail, runId } from './wire.mjs';
import { chromiumMajorVersion, desktopUserAgent, launchChromium, hideWebdriver, serveSite, posthogPage } from './chromium.mjs';

const [baseArg, setupCode, demoProjectId, demoToken, screenshotDir] = process.argv.slice(2);
if (!baseArg || !setupCode || !demoProjectId || !demoToken || !screenshotDir) {
  fail('usage: node webapp.mjs <base-url> <set-up code> <demo project id> <demo project token> <screenshot dir>');
}
const base = baseArg.replace(/\/+$/, '');
const debug = Boolean(process.env.SIGHTLINE_E2E_DEBUG);
const run = runId();
const user = { email: `owner-${run}@example.com`, password: `a long password ${run}`, name: 'Ada', organization: 'Acme Analytics' };
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
mkdirSync(screenshotDir, { recursive: true });

const consoleErrors = [];
const pagesVisited = [];
const screenshots = [];
const summary = { consoleErrors, pagesVisited, screenshots };
const log = (...words) => debug && process.stderr.write(`[webapp] ${words.join(' ')}\n`);

const browser = await launchChromium(desktopUserAgent(chromiumMajorVersion()));
const context = await newContext();

/** A browser context (own cookies) whose every tab reports its errors and the app pages it shows. */
async function newContext() {
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'Europe/Zurich', colorScheme: 'light' });
  await hideWebdriver(ctx);
  ctx.on('page', watch);
  return ctx;
}

function watch(tab) {
  tab.setDefaultTimeout(20000);
  tab.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${tab.url()}: ${m.text()}`);
    if (debug) process.stderr.write(`[console ${m.type()}] ${m.text()}\n`);
  });
  tab.on('pageerror', (e) => consoleErrors.push(`${tab.url()}: ${e}`));
  tab.on('framenavigated', (frame) => {
    if (frame !== tab.mainFrame() || !frame.url().startsWith(base + '/')) return;
    const u = new URL(frame.url());
    const path = u.pathname + u.search;
    if (pagesVisited[pagesVisited.length - 1] !== path) pagesVisited.push(path);
  });
}

const app = await context.newPage();
let step = 'start';

/** The API as the signed-in browser sees it (the context's cookies), for finding persons to work on. */
async function api(path) {
  const r = await context.request.get(base + path);
  if (r.status() !== 200) throw new Error(`GET ${path}: ${r.status()} ${await r.text()}`);
  return r.json();
}

/** Waits until the page shows no loading skeleton (or gives up quietly: a screenshot is still useful). */
async function settled(tab) {
  await tab.waitForFunction(() => !document.querySelector('.mantine-Skeleton-root, [aria-busy="true"]'), null, { timeout: 10000 }).catch(() => {});
  await tab.evaluate(() => document.fonts.ready);
  await tab.waitForTimeout(250);
}

async function shot(tab, name) {
  await settled(tab);
  // a full-page picture starts at the top, where the fixed navigation is
  await tab.evaluate(() => window.scrollTo(0, 0));
  const file = `${name}.png`;
  // toasts float over whatever is under them in a full-page picture: they are left out
  await tab.screenshot({ path: join(screenshotDir, file), fullPage: true, animations: 'disabled', style: '.mantine-Notifications-root { display: none; }' });
  screenshots.push(file);
  log('screenshot', file);
}

const testId = (tab, id) => tab.locator(`[data-testid="${id}"]`);

async function openUserMenu(tab) {
  await testId(tab, 'user-menu').click();
  await tab.getByRole('menu').waitFor();
}

/** The persons page of the demo project, reached from the navigation. */
async function personsPage(tab) {
  const nav = testId(tab, 'nav-persons');
  if (await nav.isVisible()) {
    await nav.click();
  } else {
    await tab.goto(`${base}/project/${demoProjectId}/persons`);
  }
  await testId(tab, 'persons-page').waitFor();
}

/** Searches a person by distinct id on the persons page and opens the one row it leaves. */
async function openPersonBySearch(tab, distinctId, uuid) {
  await personsPage(tab);
  const search = testId(tab, 'persons-search');
  await search.fill('');
  await search.pressSequentially(distinctId, { delay: 10 });
  const row = tab.locator(`[data-testid="person-row"][data-uuid="${uuid}"]`);
  await tab.waitForFunction(
    (u) => {
      const rows = document.querySelectorAll('[data-testid="person-row"]');
      return rows.length === 1 && rows[0].getAttribute('data-uuid') === u;
    },
    uuid,
  );
  await row.locator('a').first().click();
  await tab.waitForURL(`**/person/${uuid}**`);
  await testId(tab, 'person-name').waitFor();
}

async function openTab(tab, name) {
  await testId(tab, `tab-${name}`).click();
  await tab.waitForURL(name === 'timeline' ? (u) => !u.search.includes('tab=') : `**tab=${name}**`);
}

async function chooseTheme(tab, scheme) {
  await openUserMenu(tab);
  await testId(tab, 'theme-toggle').locator('label', { hasText: scheme }).click();
  await tab.keyboard.press('Escape');
  await tab.waitForFunction((s) => document.documentElement.getAttribute('data-mantine-color-scheme') === s, scheme.toLowerCase());
}

async function callApiWithKey(key) {
  const r = await fetch(`${base}/api/projects/${demoProjectId}/persons/?limit=1`, { headers: { Authorization: `Bearer ${key}` } });
  await r.arrayBuffer();
  return r.status;
}

try {
  // --- set-up of the first user -------------------------------------------------------------
  step = 'set-up';
  await app.goto(base + '/');
  await app.waitForURL('**/setup');
  await testId(app, 'setup-page').waitFor();
  await testId(app, 'setup-code').waitFor();
  await shot(app, 'setup');
  await testId(app, 'setup-code').fill(setupCode);
  await testId(app, 'setup-organization').fill(user.organization);
  await testId(app, 'setup-name').fill(user.name);
  await testId(app, 'setup-email').fill(user.email);
  await testId(app, 'setup-password').fill(user.password);
  await testId(app, 'setup-submit').click();
  await testId(app, 'settings-page').waitFor();
  await shot(app, 'settings-first-run');

  // --- sign out, and back in -----------------------------------------------------------------
  step = 'sign out';
  await openUserMenu(app);
  await testId(app, 'sign-out').click();
  await testId(app, 'login-page').waitFor();
  // signed out, the app's pages lead to the sign-in page without asking the API who is there
  await app.goto(base + '/');
  await app.waitForURL('**/login**');
  await app.goto(`${base}/project/${demoProjectId}/persons?search=x`);
  await app.waitForURL('**/login?next=**');
  await testId(app, 'login-email').waitFor();
  await shot(app, 'login');

  step = 'sign in';
  await testId(app, 'login-email').fill(user.email);
  await testId(app, 'login-password').fill(user.password);
  await testId(app, 'login-submit').click();
  await testId(app, 'persons-page').waitFor();
  if (!new URL(app.url()).search.includes('search=x')) throw new Error(`sign-in did not return to the page asked for: ${app.url()}`);

  // the first project: nothing sent yet, the page says what to do
  step = 'first project';
  await app.goto(base + '/');
  await testId(app, 'persons-page').waitFor();
  await shot(app, 'persons-new-project');

  // switch to the demo project from the project menu
  step = 'switch project';
  await testId(app, 'project-switcher').click();
  await app.getByRole('menuitem', { name: 'Demo project' }).click();
  await app.waitForURL(`**/project/${demoProjectId}/persons`);
  await testId(app, 'person-row').first().waitFor();
  await shot(app, 'persons');

  // --- persons to work on, found through the API as the page's user --------------------------
  step = 'choose persons';
  const listed = (await api(`/api/projects/${demoProjectId}/persons/?limit=300`)).results;
  const isUser = (id) => id.startsWith('usr_');
  const merged = [];
  for (const p of listed) {
    if (p.distinct_ids.length !== 2 || !p.distinct_ids.some(isUser) || p.distinct_ids.some((id) => id.startsWith('lead_'))) continue;
    const anonymous = p.distinct_ids.find((id) => !isUser(id));
    const timeline = (await api(`/api/projects/${demoProjectId}/persons/${p.uuid}/timeline/?limit=100`)).results;
    if (timeline.length < 100 && timeline.some((e) => e.distinct_id === anonymous)) {
      merged.push({ uuid: p.uuid, user: p.distinct_ids.find(isUser), anonymous, events: timeline.length });
    }
    if (merged.length === 2) break;
  }
  if (merged.length < 2) throw new Error('the demo data has fewer than two persons who browsed anonymously, then signed up');
  const [signedUp, toSplit] = merged;
  const taken = new Set(merged.map((m) => m.uuid));
  const customKey = (p) => Object.keys(p.properties).find((k) => !k.startsWith('$') && !['email', 'name'].includes(k));
  const edited = listed.find((p) => !taken.has(p.uuid) && p.distinct_ids.some(isUser) && customKey(p));
  if (!edited) throw new Error('no demo person has a custom property to delete');
  taken.add(edited.uuid);
  const doomed = listed.find((p) => !taken.has(p.uuid) && p.distinct_ids.some(isUser));
  log('persons', JSON.stringify({ signedUp, toSplit, edited: edited.uuid, doomed: doomed.uuid }));

  // --- search, and a merged profile's timeline ------------------------------------------------
  step = 'search and open a profile';
  await openPersonBySearch(app, signedUp.user, signedUp.uuid);
  await app.goBack();
  await testId(app, 'persons-page').waitFor();
  await shot(app, 'persons-search');
  await app.goForward();
  await testId(app, 'timeline').waitFor();
  await testId(app, 'timeline-event').first().waitFor();
  // every event of the person is on the page (long lists draw their first rows first)
  await app.waitForFunction((n) => document.querySelectorAll('[data-testid="timeline-event"]').length === n, signedUp.events);
  await app.locator('[data-testid="timeline-event"][data-before-identification="true"]').first().waitFor();
  const anonymousRows = await app.locator(`[data-testid="timeline-event"]`).evaluateAll(
    (rows) => rows.filter((r) => r.getAttribute('data-before-identification') === 'true').length,
  );
  summary.mergedTimeline = { person: signedUp.uuid, anonymousDistinctId: signedUp.anonymous, eventsBeforeSignUp: anonymousRows };
  await testId(app, 'merge-divider').first().waitFor();
  await shot(app, 'profile-timeline');
  // an event's properties open in place
  await app.locator('[data-testid="timeline-event"] button').first().click();
  await testId(app, 'event-properties').first().waitFor();
  await shot(app, 'profile-timeline-event-open');

  step = 'profile tabs';
  await openTab(app, 'properties');
  await testId(app, 'person-properties').waitFor();
  await shot(app, 'profile-properties');
  await openTab(app, 'identity');
  await testId(app, 'person-identity').waitFor();
  await shot(app, 'profile-identity');
  await openTab(app, 'danger');
  await testId(app, 'danger-zone').waitFor();
  await shot(app, 'profile-danger-zone');
  await openTab(app, 'timeline');

  // --- dark, and a phone ----------------------------------------------------------------------
  step = 'dark mode';
  await chooseTheme(app, 'Dark');
  await testId(app, 'timeline-event').first().waitFor();
  await shot(app, 'profile-timeline-dark');
  await openTab(app, 'properties');
  await shot(app, 'profile-properties-dark');
  await personsPage(app);
  await testId(app, 'person-row').first().waitFor();
  await shot(app, 'persons-dark');
  await chooseTheme(app, 'Light');

  step = 'phone';
  await app.setViewportSize(PHONE);
  await app.goto(`${base}/project/${demoProjectId}/persons`);
  await testId(app, 'person-row').first().waitFor();
  await shot(app, 'persons-phone');
  await app.locator(`[data-testid="person-row"][data-uuid]`).first().locator('a').first().click();
  await testId(app, 'person-name').waitFor();
  await app.goto(`${base}/project/${demoProjectId}/person/${signedUp.uuid}`);
  await testId(app, 'timeline-event').first().waitFor();
  await shot(app, 'profile-timeline-phone');
  await openTab(app, 'properties');
  await shot(app, 'profile-properties-phone');
  // the navigation opens from the burger
  await app.getByRole('button', { name: 'Open navigation' }).click();
  await testId(app, 'nav-events').waitFor({ state: 'visible' });
  await shot(app, 'navigation-phone');
  await app.getByRole('button', { name: 'Close navigation' }).click();
  await app.setViewportSize(DESKTOP);

  // --- split a merge from the Identity tab ----------------------------------------------------
  step = 'split';
  await openPersonBySearch(app, toSplit.user, toSplit.uuid);
  await openTab(app, 'identity');
  await testId(app, 'split-main').getByRole('radio', { name: toSplit.user }).check();
  await testId(app, 'split-button').click();
  await testId(app, 'confirm-split').click();
  await testId(app, 'split-result').waitFor();
  const splitInto = await testId(app, 'split-person-link').allTextContents();
  await app.waitForFunction(() => document.querySelectorAll('[data-testid="distinct-id"]').length === 1);
  await shot(app, 'profile-identity-after-split');
  summary.split = { persons: [toSplit.uuid, ...splitInto.map((s) => s.trim())] };
  // the other id is a person of its own now, found by the persons search
  await openPersonBySearch(app, toSplit.anonymous, splitInto[0].trim());

  // --- add a property, delete another ---------------------------------------------------------
  step = 'properties';
  const deleted = customKey(edited);
  const added = { key: `favourite_colour_${run}`, value: 'teal' };
  await openPersonBySearch(app, edited.distinct_ids.find(isUser), edited.uuid);
  await openTab(app, 'properties');
  await testId(app, 'property-add').click();
  await testId(app, 'property-add-key').fill(added.key);
  await testId(app, 'property-add-value').fill(added.value);
  await testId(app, 'property-add-save').click();
  await app.locator(`[data-testid="property-row"][data-key="${added.key}"]`).waitFor();
  await app.locator(`[data-testid="property-row"][data-key="${deleted}"] [data-testid="property-delete"]`).click();
  await testId(app, 'confirm-delete-property').click();
  await app.locator(`[data-testid="property-row"][data-key="${deleted}"]`).waitFor({ state: 'detached' });
  await testId(app, 'properties-filter').fill(added.key);
  await shot(app, 'profile-properties-edited');
  summary.property = { person: edited.uuid, added: added.key, value: added.value, deleted };

  // --- a personal API key, used from node, then revoked ---------------------------------------
  step = 'personal API key';
  await testId(app, 'nav-settings').click();
  await testId(app, 'settings-page').waitFor();
  await shot(app, 'settings');
  await testId(app, 'api-key-label').fill(`e2e ${run}`);
  await testId(app, 'api-key-create').click();
  const key = (await testId(app, 'api-key-value').locator('[aria-label="Personal API key"]').textContent()).trim();
  if (!key.startsWith('phx_')) throw new Error(`the new key does not look like one: ${key}`);
  await shot(app, 'settings-key-created');
  const statusBeforeRevoke = await callApiWithKey(key);
  const keyRow = app.locator('[data-testid="api-key-row"]', { hasText: `e2e ${run}` });
  await keyRow.locator('[data-testid="api-key-revoke"]').click();
  await testId(app, 'confirm-revoke').click();
  await keyRow.waitFor({ state: 'detached' });
  const statusAfterRevoke = await callApiWithKey(key);
  summary.revokedKey = { statusBeforeRevoke, statusAfterRevoke };

  // --- an invitation, opened by someone not signed in -----------------------------------------
  step = 'invitation';
  await testId(app, 'invite-email').fill(`colleague-${run}@example.com`);
  await testId(app, 'invite-create').click();
  const inviteUrl = (await testId(app, 'invite-link').locator('[aria-label="Invitation link"]').textContent()).trim();
  const guest = await newContext();
  const guestTab = await guest.newPage();
  await guestTab.goto(inviteUrl);
  await testId(guestTab, 'invite-name').waitFor();
  await shot(guestTab, 'invite');
  await guest.close();

  // --- delete a person ------------------------------------------------------------------------
  step = 'delete a person';
  await openPersonBySearch(app, doomed.distinct_ids.find(isUser), doomed.uuid);
  await openTab(app, 'danger');
  await testId(app, 'delete-person').click();
  const expected = (await app.getByRole('dialog').locator('code').first().textContent()).trim();
  await testId(app, 'delete-confirm-input').fill(expected);
  await testId(app, 'delete-confirm-check').check();
  await shot(app, 'profile-delete-confirm');
  await testId(app, 'delete-confirm').click();
  await app.waitForURL(`**/project/${demoProjectId}/persons`);
  await testId(app, 'persons-page').waitFor();
  summary.deletedPerson = doomed.uuid;

  // --- live: posthog-js on another site, identified as the person -----------------------------
  step = 'live timeline';
  const sent = { timeline: `Live check ${run}`, explorer: `Live explorer check ${run}` };
  await openPersonBySearch(app, signedUp.user, signedUp.uuid);
  await testId(app, 'timeline-event').first().waitFor();
  const pages = {
    '/': posthogPage({
      title: 'Customer site', token: demoToken, serverUrl: base, debug,
      options: { bootstrap: { distinctID: signedUp.user, isIdentifiedID: true }, capture_pageview: false, capture_pageleave: false,
        request_queue_config: { flush_interval_ms: 250 } },
    }),
  };
  const served = await serveSite(pages);
  const siteTab = await context.newPage();
  await siteTab.goto(served.siteUrl + '/');
  await siteTab.evaluate(() => window.posthogLoaded);
  await siteTab.evaluate((name) => posthog.capture(name, { plan: 'e2e' }), sent.timeline);
  const liveRow = app.locator('[data-testid="timeline-event"]', { hasText: sent.timeline });
  summary.live = { timelineEventSeen: await liveRow.waitFor({ timeout: 30000 }).then(() => true, () => false) };
  await shot(app, 'profile-timeline-live');

  step = 'live explorer';
  await testId(app, 'nav-events').click();
  await testId(app, 'events-page').waitFor();
  await testId(app, 'event-row').first().waitFor();
  await siteTab.evaluate((name) => posthog.capture(name, { plan: 'e2e' }), sent.explorer);
  const explorerRow = app.locator('[data-testid="event-row"]', { hasText: sent.explorer });
  summary.live.explorerEventSeen = await explorerRow.waitFor({ timeout: 30000 }).then(() => true, () => false);
  await shot(app, 'events');
  await explorerRow.first().click();
  await testId(app, 'event-detail').waitFor();
  await shot(app, 'events-row-open');
  await siteTab.close();
  served.site.close();

  step = 'not found';
  await app.goto(`${base}/project/${demoProjectId}/nowhere`);
  await testId(app, 'not-found-page').waitFor();
  await shot(app, 'not-found');
} catch (error) {
  const file = `failed-${step.replace(/\W+/g, '-')}.png`;
  await app.screenshot({ path: join(screenshotDir, file), fullPage: true }).catch(() => {});
  await browser.close().catch(() => {});
  fail(`${step}: ${error.message}`, { ...summary, failureScreenshot: file, at: app.url() });
}

await browser.close();
succeed(summary);
