// Insights and dashboards in Debian's chromium, driven as a person would, against a server with demo data:
//   node insights.mjs build <base-url> <email> <password> <project id> <screenshot dir>
//   node insights.mjs reopen <base-url> <email> <password> <project id> <screenshot dir> <build summary file>
// `build` signs in on /login, makes a dashboard, builds one insight of each kind by clicking, and
// checks that the numbers the page shows (the chart's table view) are the query API's answer for the
// query in the address bar (asked from the page); opens the persons behind a funnel drop-off, a
// trends point and a lifecycle bar and checks their number against the API; exports them as CSV;
// saves every insight to the dashboard; adds a markdown text tile (with HTML that must not run);
// moves a tile; reads every tile's numbers against GET insights/:id/?from_dashboard=.
// `reopen` (after the server restarted) reads the dashboard again and wants the same numbers, then
// sets a dashboard date range and wants every tile to change to the API's new answer.
// Screenshots (1280×900, light and dark) go to the screenshot dir. Prints JSON for InsightsBrowserTest.
// Set SIGHTLINE_E2E_DEBUG=1 for a log of the steps on stderr.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { succeed, fail, runId } from './wire.mjs';
import { chromiumMajorVersion, desktopUserAgent, launchChromium, hideWebdriver } from './chromium.mjs';

const [phase, baseArg, email, password, projectId, screenshotDir, buildFile] = process.argv.slice(2);
if (!['build', 'reopen'].includes(phase) || !baseArg || !email || !password || !projectId || !screenshotDir || (phase === 'reopen' && !buildFile)) {
  fail('usage: node insights.mjs build|reopen <base-url> <email> <password> <project id> <screenshot dir> [build summary file]');
}
const base = baseArg.replace(/\/+$/, '');
const debug = Boolean(process.env.SIGHTLINE_E2E_DEBUG);
mkdirSync(screenshotDir, { recursive: true });

const consoleErrors = [];
const screenshots = [];
const summary = { phase, consoleErrors, screenshots, kinds: {}, drill: {} };
const log = (...words) => debug && process.stderr.write(`[insights] ${words.join(' ')}\n`);
let step = 'start';

const browser = await launchChromium(desktopUserAgent(chromiumMajorVersion()));
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'Europe/Zurich', colorScheme: 'light', acceptDownloads: true });
await hideWebdriver(context);
const page = await context.newPage();
page.setDefaultTimeout(30000);
page.on('console', (m) => {
  if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
  if (debug && m.type() !== 'debug') process.stderr.write(`[console ${m.type()}] ${m.text()}\n`);
});
page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e}`));

// ---------- helpers ----------

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Picks an option of a Mantine Select / MultiSelect by its value (typing narrows the list first). */
async function pick(input, value, { type = true } = {}) {
  await input.click();
  if (type) await input.fill(value);
  const option = page.locator(`[role="listbox"] [role="option"][value="${value.replace(/"/g, '\\"')}"]:visible`).first();
  await option.waitFor({ state: 'visible' });
  await option.click();
}

/** Waits until the builder shows the answer to the question in the address bar. */
async function answered() {
  await page.waitForSelector('[data-testid="insight-result"][data-stale="false"]', { timeout: 60000 });
  await page.waitForFunction(() => !document.querySelector('[data-testid="insight-loading"]'), null, { timeout: 60000 });
  await page.waitForTimeout(150);
  await page.waitForSelector('[data-testid="insight-result"][data-stale="false"]', { timeout: 60000 });
}

async function settled() {
  await page.waitForFunction(() => !document.querySelector('.mantine-Skeleton-root, [aria-busy="true"], [data-testid="insight-loading"]'), null, { timeout: 30000 }).catch(() => {});
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(700); // chart animations
}

async function shot(name, { dark = true } = {}) {
  await settled();
  await page.evaluate(() => window.scrollTo(0, 0));
  for (const scheme of dark ? ['light', 'dark'] : ['light']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(scheme === 'dark' ? 600 : 200);
    const file = `insights-${name}${scheme === 'dark' ? '-dark' : ''}.png`;
    await page.screenshot({ path: join(screenshotDir, file), fullPage: true });
    screenshots.push(file);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForTimeout(200);
}

/** The table view's rows: each a map of column key → raw value (numbers as numbers, blanks as null). */
async function readTable(scope = page) {
  return scope.locator('[data-testid="chart-table"]').first().evaluate((table) =>
    [...table.querySelectorAll('tbody tr')].map((tr) => {
      const row = {};
      for (const td of tr.querySelectorAll('td')) {
        const raw = td.getAttribute('data-value');
        const key = td.getAttribute('data-col');
        row[key] = raw === null || raw === '' ? null : Number.isNaN(Number(raw)) ? raw : Number(raw);
      }
      return row;
    }),
  );
}

/** Clicks the segment of a Mantine SegmentedControl that reads `text`. */
async function segment(testId, text) {
  await page.locator(`[data-testid="${testId}"] label`).filter({ hasText: new RegExp(`^\\s*${escapeRe(text)}\\s*$`) }).click();
}

async function showTable() {
  await segment('view-toggle', 'Table');
  await page.waitForSelector('[data-testid="chart-table"]');
}

async function showChart() {
  await segment('view-toggle', 'Chart');
}

/** The query in the address bar, asked of the query API from the page itself. */
async function apiAnswerForUrl() {
  return page.evaluate(async (pid) => {
    const q = JSON.parse(new URL(window.location.href).searchParams.get('q'));
    const csrf = document.cookie.split('; ').find((c) => c.startsWith('sightline_csrf='))?.split('=')[1];
    const r = await fetch(`/api/projects/${pid}/query/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(csrf ? { 'X-CSRFToken': decodeURIComponent(csrf) } : {}) },
      body: JSON.stringify({ query: q }),
    });
    return { status: r.status, query: q, body: await r.json() };
  }, projectId);
}

async function apiPost(path, body) {
  return page.evaluate(async ({ path, body }) => {
    const csrf = document.cookie.split('; ').find((c) => c.startsWith('sightline_csrf='))?.split('=')[1];
    const r = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(csrf ? { 'X-CSRFToken': decodeURIComponent(csrf) } : {}) },
      body: JSON.stringify(body),
    });
    return r.json();
  }, { path, body });
}

async function apiGet(path) {
  return page.evaluate(async (path) => (await fetch(path)).json(), path);
}

/** The numbers of an answer in the table's order, per kind, read straight from the API's JSON. */
function expectedRows(query, results) {
  switch (query.kind) {
    case 'TrendsQuery':
      return ['BoldNumber', 'ActionsTable', 'ActionsPie', 'ActionsBarValue', 'WorldMap'].includes(query.trendsFilter?.display)
        ? results.map((r) => [r.aggregated_value])
        : results.map((r) => r.data);
    case 'StickinessQuery':
    case 'LifecycleQuery':
      return results.map((r) => r.data);
    case 'FunnelsQuery':
      if (query.funnelsFilter?.funnelVizType === 'time_to_convert') return results.bins.map(([, persons]) => [persons]);
      return (Array.isArray(results[0]) ? results.flat() : results).map((s) => [s.count]);
    case 'RetentionQuery':
      return results.map((r) => r.values.map((v) => v.count));
    case 'PathsQuery':
      return results.map((e) => [e.value]);
    default:
      throw new Error('no expectation for ' + query.kind);
  }
}

/** The same numbers read off the page's table. Retention leaves periods still to come blank: those are compared as 0. */
function shownRows(kind, rows) {
  const numeric = (row) => Object.keys(row).filter((k) => /^\d+$/.test(k)).sort((a, b) => a - b).map((k) => row[k]);
  switch (kind) {
    case 'FunnelsQuery':
      return rows.map((r) => [r.count]);
    case 'RetentionQuery':
      return rows.map((r) => Object.keys(r).filter((k) => /^p\d+$/.test(k)).sort((a, b) => a.slice(1) - b.slice(1)).map((k) => r[k] ?? 0));
    case 'PathsQuery':
      return rows.map((r) => [r.value]);
    default:
      return rows.map((r) => ('value' in r ? [r.value] : numeric(r)));
  }
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Compares what the builder shows with the API's answer for the URL's query; records both. */
async function checkAgainstApi(name) {
  await answered();
  await showTable();
  const rows = await readTable();
  const api = await apiAnswerForUrl();
  if (api.status !== 200) throw new Error(`${name}: the query API answered ${api.status}: ${JSON.stringify(api.body)}`);
  const expected = expectedRows(api.query, api.body.results);
  const shown = shownRows(api.query.kind, rows);
  const entry = { kind: api.query.kind, rows: shown.length, equal: same(shown, expected), shown, expected, query: api.query };
  summary.kinds[name] = entry;
  log(name, 'rows', shown.length, 'equal', entry.equal);
  if (!entry.equal) throw new Error(`${name}: the table shows ${JSON.stringify(shown)} but the API answers ${JSON.stringify(expected)}`);
  if (!shown.length) throw new Error(`${name}: the table is empty`);
  return { rows, api };
}

/** Opens the persons behind a table cell, loads them all, and returns their ids and the modal's words. */
async function drill(cell) {
  await cell.locator('[data-testid="drill"]').click();
  const modal = page.locator('[role="dialog"]:has([data-testid="drill-title"])').last();
  await modal.waitFor();
  await page.waitForFunction(() => {
    const m = document.querySelector('[role="dialog"]');
    return m && (m.querySelector('[data-testid="person-row"]') || m.querySelector('[data-testid="drill-empty"]'));
  });
  while (await modal.locator('[data-testid="load-more"]').count()) {
    const before = await modal.locator('[data-testid="person-row"]').count();
    // a page on its way keeps the button busy, and the last page in takes it away: wait for either
    await page.waitForFunction(() => {
      const b = document.querySelector('[role="dialog"] [data-testid="load-more"]');
      return !b || (!b.disabled && !b.hasAttribute('data-loading'));
    }, null, { timeout: 60000 });
    if (!(await modal.locator('[data-testid="load-more"]').count())) break;
    if (!(await modal.locator('[data-testid="load-more"]').click({ timeout: 10000 }).then(() => true, () => false))) continue;
    await page.waitForFunction((n) => document.querySelectorAll('[role="dialog"] [data-testid="person-row"]').length > n, before);
  }
  // the table draws its first rows first and the rest a moment later: wait for all it says it shows
  await page.waitForFunction(() => {
    const m = [...document.querySelectorAll('[role="dialog"]')].pop();
    const said = /([\d,.]+) shown/.exec(m?.textContent ?? '');
    return said && m.querySelectorAll('[data-testid="person-row"]').length === Number(said[1].replace(/[,.]/g, ''));
  });
  const ids = await modal.locator('[data-testid="person-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-uuid')));
  return { modal, ids, title: await modal.locator('[data-testid="drill-title"]').textContent(), count: await modal.locator('[data-testid="drill-count"]').textContent() };
}

async function closeModal() {
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('[data-testid="drill-title"]'));
}

/** Every person of an ActorsQuery, paged as the API pages. */
async function apiActors(source) {
  const ids = [];
  for (let offset = 0; ; offset += 1000) {
    const r = await apiPost(`/api/projects/${projectId}/query/`, { query: { kind: 'ActorsQuery', source, limit: 1000, offset } });
    ids.push(...r.results.map((row) => row[1]));
    if (!r.hasMore) return ids;
  }
}

async function kindTab(kind) {
  await page.locator(`[data-testid="kind-${kind}"]`).click();
  await page.waitForFunction((k) => document.querySelector('[data-testid="insight-page"]')?.getAttribute('data-kind') === k, kind);
}

/** Saves the insight in the builder onto the dashboard; returns its short id. */
async function save(name, dashboardId, { favorite = false } = {}) {
  await page.locator('[data-testid="insight-save"]').click();
  const modal = page.locator('[role="dialog"]:has([data-testid="save-name"])');
  await modal.waitFor();
  await modal.locator('[data-testid="save-name"]').fill(name);
  await modal.locator('[data-testid="save-description"]').fill(`Built by the browser test: ${name}`);
  await modal.locator('[data-testid="save-tags"]').fill('browser-test');
  await modal.locator('[data-testid="save-tags"]').press('Enter');
  if (favorite) await modal.locator('[data-testid="save-favorite"]').check();
  await pick(modal.locator('[data-testid="save-dashboards"]'), String(dashboardId), { type: false });
  // focus elsewhere closes the list of dashboards, which would cover the button
  await modal.locator('[data-testid="save-name"]').click();
  await page.waitForFunction(() => !document.querySelector('.mantine-MultiSelect-dropdown:not([style*="display: none"])'), null, { timeout: 5000 }).catch(() => {});
  await modal.locator('[data-testid="save-submit"]').click();
  await page.waitForURL((u) => /\/insights\/[A-Za-z0-9]+$/.test(u.pathname) && !u.pathname.endsWith('/insights/new'));
  const shortId = new URL(page.url()).pathname.split('/').pop();
  await page.waitForSelector('[data-testid="insight-name"]');
  log('saved', name, shortId);
  return shortId;
}

async function newInsight() {
  await page.goto(`${base}/project/${projectId}/insights`);
  await page.locator('[data-testid="new-insight"]').click();
  await page.waitForSelector('[data-testid="insight-page"]');
}

/** Every insight tile's table numbers, read in the page, keyed by the insight's short id. */
async function readTiles() {
  await page.waitForSelector('[data-testid="dashboard-tile"]');
  await page.waitForFunction(() => {
    const tiles = [...document.querySelectorAll('[data-testid="dashboard-tile"]')];
    // shown, and not being brought up to date (a kept answer shows while a newer one is computed)
    return tiles.length && tiles.every((t) => t.getAttribute('data-loading') === 'false' && t.getAttribute('data-updating') !== 'true'
      && !t.querySelector('[data-testid="tile-skeleton"]'));
  }, null, { timeout: 90000 });
  const tiles = {};
  for (const tile of await page.locator('[data-testid="dashboard-tile"]').all()) {
    const shortId = await tile.getAttribute('data-insight');
    const toggle = tile.locator('[data-testid="tile-view"]');
    const hasToggle = (await toggle.count()) > 0;
    if (hasToggle) await toggle.click();
    await tile.locator('[data-testid="chart-table"]').waitFor();
    tiles[shortId] = await readTable(tile);
    if (hasToggle) await toggle.click();
  }
  return tiles;
}

/** What GET insights/:id/?from_dashboard= answers for every tile, in the table's shape. */
async function apiTiles(dashboardId, shortIds) {
  const out = {};
  for (const shortId of shortIds) {
    const insight = await apiGet(`/api/projects/${projectId}/insights/${shortId}/?from_dashboard=${dashboardId}`);
    out[shortId] = expectedRows(insight.query, insight.result);
  }
  return out;
}

function tilesShown(tiles, kinds) {
  const out = {};
  for (const [shortId, rows] of Object.entries(tiles)) out[shortId] = shownRows(kinds[shortId], rows);
  return out;
}

async function signIn() {
  step = 'sign in';
  await page.goto(`${base}/login`);
  await page.locator('[data-testid="login-email"]').fill(email);
  await page.locator('[data-testid="login-password"]').fill(password);
  await page.locator('[data-testid="login-submit"]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

// ---------- the flows ----------

async function build() {
  await signIn();

  step = 'a new dashboard';
  await page.goto(`${base}/project/${projectId}/dashboards`);
  await page.waitForSelector('[data-testid="dashboards-page"]');
  await page.locator('[data-testid="new-dashboard"]').click();
  await page.locator('[data-testid="dashboard-new-name"]').fill(`Browser test board ${runId()}`);
  await page.locator('[data-testid="dashboard-new-save"]').click();
  await page.waitForSelector('[data-testid="dashboard-empty"]');
  const dashboardId = Number(new URL(page.url()).pathname.split('/').pop());
  summary.dashboardId = dashboardId;
  const saved = {};

  step = 'a slow answer is cancelled';
  await page.route('**/api/projects/*/query/', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await route.continue().catch(() => {});
  });
  await newInsight();
  await page.waitForSelector('[data-testid="insight-cancel"]');
  await page.waitForFunction(() => /[1-9]\.\d s/.test(document.querySelector('[data-testid="elapsed"]')?.textContent ?? ''));
  summary.slow = { elapsedShown: await page.locator('[data-testid="elapsed"]').textContent() };
  await page.locator('[data-testid="insight-cancel"]').click();
  await page.waitForSelector('[data-testid="insight-cancelled"]');
  await page.unroute('**/api/projects/*/query/');
  await page.getByRole('button', { name: 'Run again' }).click();
  await answered();
  summary.slow.cancelledThenAnswered = true;

  step = 'the engine refuses a question';
  const refused = { kind: 'PathsQuery', pathsFilter: { includeEventTypes: ['$pageview'], stepLimit: 50 } };
  const errorsBefore = consoleErrors.length;
  await page.goto(`${base}/project/${projectId}/insights/new?q=${encodeURIComponent(JSON.stringify(refused))}`);
  await page.waitForSelector('[data-testid="error-alert"]');
  summary.refused = { words: await page.locator('[data-testid="error-alert"]').textContent() };
  // the browser reports the refused request itself as a console error: that one is expected
  const during = consoleErrors.splice(errorsBefore);
  summary.refused.reportedByBrowser = during.filter((e) => /status of 400/.test(e)).length;
  consoleErrors.push(...during.filter((e) => !/status of 400/.test(e)));

  step = 'trends';
  await newInsight();
  const series = page.locator('[data-testid="series-row"]').first();
  await pick(series.locator('[data-testid="series-event"]'), 'insight viewed');
  await pick(series.locator('[data-testid="series-math"]'), 'dau', { type: false });
  await pick(page.locator('[data-testid="breakdown-property"]'), '$browser');
  await page.locator('[data-testid="date-range"]').click();
  await page.locator('[data-testid="date-preset-14d"]').click();
  await answered();
  await shot('trends');
  await checkAgainstApi('trends');
  // the persons behind one day of one browser: exactly the unique persons counted there
  const trendsRows = await readTable();
  const busiest = trendsRows.map((r, i) => ({ i, v: Math.max(...Object.entries(r).filter(([k]) => /^\d+$/.test(k)).map(([, v]) => v)) })).sort((a, b) => b.v - a.v)[0];
  const dayKey = Object.entries(trendsRows[busiest.i]).filter(([k]) => /^\d+$/.test(k)).sort((a, b) => b[1] - a[1])[0][0];
  const trendsCell = page.locator(`[data-testid="chart-table"] tbody tr:nth-child(${busiest.i + 1}) td[data-col="${dayKey}"]`);
  const trendsDrill = await drill(trendsCell);
  summary.drill.trends = { value: busiest.v, persons: trendsDrill.ids.length, title: trendsDrill.title, count: trendsDrill.count };
  await closeModal();
  // a world map of the same persons, by country
  await showChart();
  await pick(page.locator('[data-testid="display"]'), 'WorldMap', { type: false });
  await answered();
  await page.waitForSelector('[data-testid="chart-canvas"] canvas');
  await shot('trends-world-map', { dark: false });
  await checkAgainstApi('trends world map');
  await showChart();
  await pick(page.locator('[data-testid="display"]'), 'ActionsLineGraph', { type: false });
  await answered();
  saved.trends = await save('Unique insight viewers by browser', dashboardId);

  step = 'funnel';
  await newInsight();
  await kindTab('FunnelsQuery');
  const steps = () => page.locator('[data-testid="series-row"]');
  await pick(steps().nth(0).locator('[data-testid="series-event"]'), 'user signed up');
  await page.locator('[data-testid="series-add"]').click();
  await pick(steps().nth(1).locator('[data-testid="series-event"]'), 'insight created');
  await page.locator('[data-testid="series-add"]').click();
  await pick(steps().nth(2).locator('[data-testid="series-event"]'), 'teammate invited');
  await page.locator('[data-testid="date-range"]').click();
  await page.locator('[data-testid="date-preset-30d"]').click();
  await answered();
  await shot('funnel');
  const funnel = await checkAgainstApi('funnel');
  // the drop-off between step 1 and step 2: exactly those persons, and the API agrees
  const droppedCell = page.locator('[data-testid="chart-table"] tbody tr:nth-child(2) td[data-col="dropped"]');
  const dropped = Number(await droppedCell.getAttribute('data-value'));
  const funnelDrill = await drill(droppedCell);
  await shot('funnel-drop-off-persons', { dark: false });
  const download = page.waitForEvent('download');
  await funnelDrill.modal.locator('[data-testid="drill-export"]').click();
  const csv = await download;
  const csvText = readFileSync(await csv.path(), 'utf8');
  const apiDropped = await apiActors({ kind: 'FunnelsActorsQuery', source: { ...funnel.api.query, funnelsFilter: { ...funnel.api.query.funnelsFilter, funnelVizType: 'steps' } }, funnelStep: -2 });
  summary.drill.funnelDropOff = {
    value: dropped,
    persons: funnelDrill.ids.length,
    apiPersons: apiDropped.length,
    samePersons: same([...funnelDrill.ids].sort(), [...apiDropped].sort()),
    csvRows: csvText.trim().split('\r\n').length - 1,
    csvLines: csvText.split('\n').length,
    csvHead: csvText.slice(0, 600),
    csvIds: csvText.trim().split('\r\n').slice(1).map((l) => l.split(',')[0]),
    shownIds: funnelDrill.ids,
    csvFile: csv.suggestedFilename(),
    title: funnelDrill.title,
  };
  await closeModal();
  await showChart();
  await segment('funnel-viz', 'Time to convert');
  await answered();
  await shot('funnel-time-to-convert', { dark: false });
  await checkAgainstApi('funnel time to convert');
  await showChart();
  await segment('funnel-viz', 'Steps');
  await answered();
  saved.funnel = await save('Sign-up to invite', dashboardId);

  step = 'retention';
  await newInsight();
  await kindTab('RetentionQuery');
  await pick(page.locator('[data-testid="retention-target"]'), 'user signed up');
  await pick(page.locator('[data-testid="retention-returning"]'), 'insight viewed');
  await pick(page.locator('[data-testid="retention-period"]'), 'Week', { type: false });
  await page.locator('[data-testid="retention-intervals"]').fill('4');
  await answered();
  await shot('retention');
  await checkAgainstApi('retention');
  const retentionCell = page.locator('[data-testid="chart-table"] tbody tr:nth-child(1) td[data-col="p1"]');
  const retained = Number(await retentionCell.getAttribute('data-value'));
  if (retained > 0) {
    const retentionDrill = await drill(retentionCell);
    summary.drill.retention = { value: retained, persons: retentionDrill.ids.length };
    await closeModal();
  }
  await showChart();
  await segment('retention-display', 'Curve');
  await answered();
  await shot('retention-curve', { dark: false });
  await segment('retention-display', 'Cohort grid');
  await answered();
  saved.retention = await save('Weekly retention of new sign-ups', dashboardId);

  step = 'paths';
  await newInsight();
  await kindTab('PathsQuery');
  await page.locator('[data-testid="path-steps"]').fill('4');
  await page.locator('[data-testid="date-range"]').click();
  await page.locator('[data-testid="date-preset-14d"]').click();
  await answered();
  await page.waitForSelector('[data-testid="chart-canvas"] canvas');
  await shot('paths');
  await checkAgainstApi('paths');
  await showChart();
  saved.paths = await save('Page paths', dashboardId);

  step = 'stickiness';
  await newInsight();
  await kindTab('StickinessQuery');
  await pick(page.locator('[data-testid="series-row"]').first().locator('[data-testid="series-event"]'), 'insight viewed');
  await answered();
  await shot('stickiness');
  await checkAgainstApi('stickiness');
  const stickyCell = page.locator('[data-testid="chart-table"] tbody tr:nth-child(1) td[data-col="1"]');
  const sticky = Number(await stickyCell.getAttribute('data-value'));
  if (sticky > 0) {
    const stickyDrill = await drill(stickyCell);
    const stickyQuery = summary.kinds.stickiness.query;
    const apiSticky = await apiActors({ kind: 'InsightActorsQuery', source: stickyQuery, day: 2, series: 0 });
    const apiChart = await apiPost(`/api/projects/${projectId}/query/`, { query: stickyQuery, refresh: true });
    summary.drill.stickiness = { value: sticky, persons: stickyDrill.ids.length, apiPersons: apiSticky.length, apiChartNow: apiChart.results[0].data[1], count: stickyDrill.count };
    await closeModal();
  }
  await showChart();
  saved.stickiness = await save('Days active viewing insights', dashboardId);

  step = 'lifecycle';
  await newInsight();
  await kindTab('LifecycleQuery');
  await pick(page.locator('[data-testid="series-row"]').first().locator('[data-testid="series-event"]'), 'insight viewed');
  await page.locator('[data-testid="date-range"]').click();
  await page.locator('[data-testid="date-preset-14d"]').click();
  await answered();
  await shot('lifecycle');
  const life = await checkAgainstApi('lifecycle');
  // the dormant bar of the busiest day: that many persons
  const dormantRow = life.rows.findIndex((r) => r.series === 'Dormant');
  const dormantKey = Object.entries(life.rows[dormantRow]).filter(([k]) => /^\d+$/.test(k)).sort((a, b) => a[1] - b[1])[0][0];
  const dormantCell = page.locator(`[data-testid="chart-table"] tbody tr:nth-child(${dormantRow + 1}) td[data-col="${dormantKey}"]`);
  const dormant = Math.abs(Number(await dormantCell.getAttribute('data-value')));
  const lifeDrill = await drill(dormantCell);
  summary.drill.lifecycleDormant = { value: dormant, persons: lifeDrill.ids.length, title: lifeDrill.title };
  await closeModal();
  await showChart();
  saved.lifecycle = await save('Lifecycle of insight viewers', dashboardId, { favorite: true });

  step = 'the saved insights list';
  await page.goto(`${base}/project/${projectId}/insights`);
  await page.waitForSelector('[data-testid="insight-row"]');
  await page.locator('[data-testid="insights-search"]').fill('browser');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="insight-row"]').length >= 1 && new URL(location.href).searchParams.get('search') === 'browser');
  await page.locator('[data-testid="insights-search"]').fill('');
  await page.waitForFunction(() => !new URL(location.href).searchParams.get('search'));
  await segment('insights-filter', 'Favourites');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('favorited') === 'true');
  await page.waitForSelector('[data-testid="insights-table"][data-fetching="false"] [data-testid="insight-row"]');
  summary.favorites = await page.locator('[data-testid="insight-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-short-id')));
  await segment('insights-filter', 'All');
  await shot('list');

  step = 'the dashboard';
  await page.goto(`${base}/project/${projectId}/dashboard/${dashboardId}`);
  await page.locator('[data-testid="add-text"]').click();
  await page.locator('[data-testid="text-body"]').fill(
    '## Browser test board\n\nEvery **kind** of insight, built by clicking.\n\n<img src=x onerror="window.__injected = 1"><script>window.__injected = 2</script>[a link](javascript:window.__injected=3)',
  );
  await page.locator('[data-testid="text-save"]').click();
  await page.waitForSelector('[data-testid="markdown"] strong');
  summary.textTile = await page.evaluate(() => ({
    bold: document.querySelector('[data-testid="markdown"] strong')?.textContent ?? null,
    scripts: document.querySelectorAll('[data-testid="markdown"] script').length,
    handlers: document.querySelectorAll('[data-testid="markdown"] [onerror]').length,
    javascriptLinks: [...document.querySelectorAll('[data-testid="markdown"] a')].filter((a) => (a.getAttribute('href') ?? '').startsWith('javascript')).length,
    injected: window.__injected ?? null,
  }));
  const dashboard = await apiGet(`/api/projects/${projectId}/dashboards/${dashboardId}/`);
  const tileKinds = Object.fromEntries(dashboard.tiles.filter((t) => t.insight).map((t) => [t.insight.short_id, t.insight.query.kind]));
  summary.tileKinds = tileKinds;
  summary.savedInsights = saved;
  const shown = tilesShown(await readTiles(), tileKinds);
  const expected = await apiTiles(dashboardId, Object.keys(tileKinds));
  summary.tiles = { shown, expected, equal: same(shown, expected) };
  await shot('dashboard');

  step = 'move a tile';
  const first = page.locator('[data-testid="dashboard-tile"]').first();
  const header = first.locator('.tile-drag');
  const box = await header.boundingBox();
  const firstId = await first.getAttribute('data-insight');
  const before = dashboard.tiles.find((t) => t.insight?.short_id === firstId);
  // straight down past the tile below: the two change places
  await page.mouse.move(box.x + box.width / 2 - 60, box.y + box.height / 2 + 4);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 60, box.y + box.height / 2 + 240, { steps: 12 });
  await page.mouse.move(box.x + box.width / 2 - 60, box.y + box.height / 2 + 520, { steps: 12 });
  await page.mouse.up();
  await page.waitForTimeout(1200);
  const after = (await apiGet(`/api/projects/${projectId}/dashboards/${dashboardId}/`)).tiles.find((t) => t.id === before.id);
  summary.moved = { before: before.layouts.sm, after: after.layouts.sm };
}

async function reopen() {
  const built = JSON.parse(readFileSync(buildFile, 'utf8'));
  const dashboardId = built.dashboardId;
  await signIn();
  step = 'the dashboard after a restart';
  await page.goto(`${base}/project/${projectId}/dashboard/${dashboardId}`);
  const shownAgain = tilesShown(await readTiles(), built.tileKinds);
  summary.dashboardId = dashboardId;
  summary.afterRestart = { shown: shownAgain, equal: same(shownAgain, built.tiles.shown) };
  await shot('dashboard-after-restart', { dark: false });

  step = 'a dashboard date range';
  const to = new Date(Date.now() - 2 * 86400000).toISOString().slice(0, 10);
  const from = new Date(Date.now() - 9 * 86400000).toISOString().slice(0, 10);
  await page.locator('[data-testid="dashboard-date-range"]').click();
  await page.locator('[data-testid="date-custom-from"]').fill(from);
  await page.locator('[data-testid="date-custom-to"]').fill(to);
  await page.locator('[data-testid="date-custom-apply"]').click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="dashboard-tile"]')].some((t) => t.getAttribute('data-loading') === 'true'), null, { timeout: 10000 }).catch(() => {});
  const filtered = tilesShown(await readTiles(), built.tileKinds);
  const expected = await apiTiles(dashboardId, Object.keys(built.tileKinds));
  const dashboard = await apiGet(`/api/projects/${projectId}/dashboards/${dashboardId}/`);
  summary.filtered = {
    filters: dashboard.filters,
    shown: filtered,
    expected,
    equal: same(filtered, expected),
    changed: Object.fromEntries(Object.keys(built.tileKinds).map((id) => [id, !same(filtered[id], built.tiles.shown[id])])),
  };
  await shot('dashboard-filtered');

  step = 'duplicate and delete a dashboard';
  await page.locator('[data-testid="dashboard-more"]').click();
  await page.locator('[data-testid="dashboard-duplicate"]').click();
  await page.waitForURL((u) => u.pathname.endsWith('/dashboard/' + dashboardId) === false && /\/dashboard\/\d+$/.test(u.pathname));
  const copyId = Number(new URL(page.url()).pathname.split('/').pop());
  await page.waitForSelector('[data-testid="dashboard-tile"]');
  const copy = await apiGet(`/api/projects/${projectId}/dashboards/${copyId}/`);
  await page.locator('[data-testid="dashboard-more"]').click();
  await page.locator('[data-testid="dashboard-delete"]').click();
  await page.getByRole('button', { name: 'Delete dashboard' }).click();
  await page.waitForURL((u) => u.pathname.endsWith('/dashboards'));
  const after = await apiGet(`/api/projects/${projectId}/dashboards/`);
  summary.duplicate = {
    name: copy.name,
    tiles: copy.tiles.length,
    originalTiles: dashboard.tiles.length,
    filters: copy.filters,
    deleted: !after.results.some((d) => d.id === copyId),
  };
  // the product overview the demo comes with
  step = 'the demo dashboard';
  const boards = await apiGet(`/api/projects/${projectId}/dashboards/`);
  const overview = boards.results.find((d) => d.name === 'Product overview');
  summary.productOverview = Boolean(overview);
  if (overview) {
    await page.goto(`${base}/project/${projectId}/dashboard/${overview.id}`);
    await readTiles();
    await shot('product-overview');
  }
}

try {
  if (phase === 'build') await build();
  else await reopen();
} catch (error) {
  const file = `insights-failure-${phase}.png`;
  await page.screenshot({ path: join(screenshotDir, file), fullPage: true }).catch(() => {});
  await browser.close();
  fail(`${phase}, ${step}: ${error.stack ?? error}`, { ...summary, url: page.url() });
}
await browser.close();
succeed(summary);
