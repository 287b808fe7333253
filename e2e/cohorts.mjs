// Cohorts in Debian's chromium, driven as a person would, against a server with demo data:
//   node cohorts.mjs <base-url> <email> <password> <project id> <screenshot dir>
// Signs in; sees the empty cohorts list; builds a dynamic cohort in the editor (performed
// $pageview at least 3 times in the last 30 days AND plan is set), reading the live estimate and
// comparing it with the estimate API for the same definition; saves it and reads its members list
// and count against the API; uploads a CSV of known distinct ids plus a row that matches nobody
// and reads the per-row report; then the list with both cohorts; then filters the persons page by
// the cohort. Screenshots (1280×900, light and dark) go to the screenshot dir. Prints JSON for
// CohortsBrowserTest. Set SIGHTLINE_E2E_DEBUG=1 for a log of the steps on stderr.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { succeed, fail } from './wire.mjs';
import { chromiumMajorVersion, desktopUserAgent, launchChromium, hideWebdriver } from './chromium.mjs';

const [baseArg, email, password, projectId, screenshotDir] = process.argv.slice(2);
if (!baseArg || !email || !password || !projectId || !screenshotDir) {
  fail('usage: node cohorts.mjs <base-url> <email> <password> <project id> <screenshot dir>');
}
const base = baseArg.replace(/\/+$/, '');
const debug = Boolean(process.env.SIGHTLINE_E2E_DEBUG);
mkdirSync(screenshotDir, { recursive: true });

const consoleErrors = [];
const screenshots = [];
const summary = { consoleErrors, screenshots };
const log = (...words) => debug && process.stderr.write(`[cohorts] ${words.join(' ')}\n`);
let step = 'start';

const browser = await launchChromium(desktopUserAgent(chromiumMajorVersion()));
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'Europe/Zurich', colorScheme: 'light' });
await hideWebdriver(context);
const page = await context.newPage();
page.setDefaultTimeout(30000);
page.on('console', (m) => {
  if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
  if (debug && m.type() !== 'debug') process.stderr.write(`[console ${m.type()}] ${m.text()}\n`);
});
page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e}`));

async function settled() {
  await page.waitForFunction(() => !document.querySelector('.mantine-Skeleton-root, [aria-busy="true"]'), null, { timeout: 30000 }).catch(() => {});
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(400);
}

async function shot(name) {
  await settled();
  await page.evaluate(() => window.scrollTo(0, 0));
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(scheme === 'dark' ? 500 : 200);
    const file = `cohorts-${name}${scheme === 'dark' ? '-dark' : ''}.png`;
    await page.screenshot({ path: join(screenshotDir, file), fullPage: true });
    screenshots.push(file);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** A request from the page itself (its session and CSRF cookie). */
async function api(method, path, body) {
  return page.evaluate(async ([m, p, b]) => {
    const csrf = document.cookie.split('; ').find((c) => c.startsWith('sightline_csrf='))?.split('=')[1];
    const r = await fetch(p, { method: m, headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf ?? '' }, body: b === undefined ? undefined : JSON.stringify(b) });
    return { status: r.status, body: await r.json().catch(() => null) };
  }, [method, path, body]);
}

/** Picks an option of a Mantine Select by its visible label. */
async function choose(input, label) {
  await input.click();
  await page.locator('[role="listbox"] [role="option"]:visible').filter({ hasText: new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) }).first().click();
}

const numberIn = (text) => Number(String(text).replace(/[^0-9]/g, ''));

async function run() {
  step = 'sign in';
  await page.goto(`${base}/login`);
  await page.locator('[data-testid="login-email"]').fill(email);
  await page.locator('[data-testid="login-password"]').fill(password);
  await page.locator('[data-testid="login-submit"]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));

  step = 'the empty list';
  await page.goto(`${base}/project/${projectId}/persons`);
  await page.locator('nav').getByRole('link', { name: 'Cohorts' }).click();
  await page.waitForSelector('[data-testid="cohorts-empty"]');
  summary.navOrder = await page.locator('nav a').allInnerTexts();
  await shot('empty');

  step = 'build a dynamic cohort';
  await page.locator('[data-testid="cohorts-empty"]').getByRole('link', { name: 'New cohort' }).click();
  await page.waitForSelector('[data-testid="criteria-editor"]');
  await page.locator('[data-testid="cohort-name"]').fill('Engaged paying users');
  const first = page.locator('[data-testid="criterion"]').first();
  await choose(first.locator('[data-testid="criterion-behaviour"]'), 'Performed event N times');
  await first.locator('[data-testid="criterion-count"]').fill('3');
  log('behaviour set');
  await page.locator('[data-testid="add-criterion"]').first().click();
  const second = page.locator('[data-testid="criterion"]').nth(1);
  await choose(second.locator('[data-testid="criterion-kind"]'), 'Person property');
  await second.locator('[data-testid="criterion-property"]').fill('plan');
  await choose(second.locator('[data-testid="criterion-operator"]'), 'is set');
  await page.keyboard.press('Escape');
  const definition = {
    properties: {
      type: 'OR',
      values: [{
        type: 'AND',
        values: [
          { type: 'behavioral', key: '$pageview', event_type: 'events', value: 'performed_event_multiple', time_value: 30, time_interval: 'day', operator: 'gte', operator_value: 3 },
          { type: 'person', key: 'plan', operator: 'is_set', value: '' },
        ],
      }],
    },
  };
  const estimated = await api('POST', `/api/projects/${projectId}/cohorts/estimate/`, { filters: definition });
  await page.waitForFunction((n) => {
    const el = document.querySelector('[data-testid="cohort-estimate-count"]');
    return el && Number(el.textContent.replace(/[^0-9]/g, '')) === n;
  }, estimated.body.count, { timeout: 30000 });
  summary.estimate = { shown: numberIn(await page.locator('[data-testid="cohort-estimate-count"]').innerText()), api: estimated.body.count };
  await shot('editor');

  step = 'save it';
  await page.locator('[data-testid="cohort-save"]').click();
  await page.waitForURL((u) => /\/cohorts\/\d+$/.test(u.pathname));
  const cohortId = Number(new URL(page.url()).pathname.split('/').pop());
  await page.waitForSelector('[data-testid="cohort-members"]');
  await settled();
  const saved = await api('GET', `/api/projects/${projectId}/cohorts/${cohortId}/`);
  const members = await api('GET', `/api/projects/${projectId}/cohorts/${cohortId}/persons/?limit=1000`);
  summary.saved = {
    id: cohortId,
    countShown: numberIn(await page.locator('[data-testid="cohort-stat-count"]').innerText()),
    apiCount: saved.body.count,
    apiMembers: members.body.results.length,
    rowsShown: await page.locator('[data-testid="cohort-members"] tbody tr').count(),
    csvLink: await page.locator('[data-testid="cohort-members"] [data-testid="export-csv"]').getAttribute('href'),
  };
  await shot('dynamic');

  step = 'upload a CSV';
  const persons = await api('GET', `/api/projects/${projectId}/persons/?limit=5`);
  const ids = persons.body.results.map((p) => p.distinct_ids[0]);
  const csv = ['distinct_id,note', ...ids.map((id) => `${id},known`), 'nobody-at-all,unknown', ',no id'].join('\n') + '\n';
  await page.goto(`${base}/project/${projectId}/cohorts`);
  await page.locator('[data-testid="new-static-cohort"]').click();
  await page.locator('[data-testid="cohort-name"]').fill('Beta testers');
  await page.locator('input[type="file"]').setInputFiles({ name: 'beta.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.locator('[data-testid="cohort-upload"]').click();
  await page.waitForSelector('[data-testid="csv-report"]');
  await settled();
  summary.upload = {
    sent: ids.length,
    reportTitle: await page.locator('[data-testid="csv-report"] .mantine-Alert-title').innerText(),
    reportRows: await page.locator('[data-testid="csv-report-rows"] tbody tr').allInnerTexts(),
    membersShown: await page.locator('[data-testid="cohort-members"] tbody tr').count(),
  };
  await shot('static');

  step = 'the list';
  await page.goto(`${base}/project/${projectId}/cohorts`);
  await page.waitForSelector('[data-testid="cohort-row"]');
  await settled();
  summary.list = await page.locator('[data-testid="cohort-row"]').evaluateAll((rows) =>
    rows.map((r) => ({ id: Number(r.getAttribute('data-id')), count: r.querySelector('[data-testid="cohort-count"]').textContent })));
  await shot('list');

  step = 'filter persons by the cohort';
  await page.goto(`${base}/project/${projectId}/persons`);
  await page.locator('[data-testid="filter-add"]').click();
  await page.locator('[data-testid="filter-form"] label').filter({ hasText: /^\s*Cohort\s*$/ }).click();
  await choose(page.locator('[data-testid="filter-cohort"]'), 'Engaged paying users');
  await page.locator('[data-testid="filter-apply"]').click();
  await page.waitForFunction(() => new URL(window.location.href).searchParams.get('filters')?.includes('cohort'));
  await settled();
  summary.personsFiltered = {
    chip: await page.locator('[data-testid="filter-chip"]').first().innerText(),
    rows: await page.locator('[data-testid="persons-page"] tbody tr').count(),
  };
  await shot('persons-filter');

  step = 'save the persons behind an insight point as a cohort';
  const trends = { kind: 'TrendsQuery', series: [{ kind: 'EventsNode', event: '$pageview', math: 'dau' }], interval: 'day', dateRange: { date_from: '-7d' } };
  await page.goto(`${base}/project/${projectId}/insights/new?q=${encodeURIComponent(JSON.stringify(trends))}`);
  await page.waitForSelector('[data-testid="insight-result"][data-stale="false"]', { timeout: 60000 });
  await page.locator('[data-testid="view-toggle"] label').filter({ hasText: /^\s*Table\s*$/ }).click();
  await page.waitForSelector('[data-testid="chart-table"]');
  // the busiest day's cell
  const cells = await page.locator('[data-testid="chart-table"] tbody tr:first-child td[data-col]').evaluateAll((tds) =>
    tds.map((td) => ({ col: td.getAttribute('data-col'), v: Number(td.getAttribute('data-value')) })).filter((c) => /^\d+$/.test(c.col) && c.v > 0));
  const busiest = cells.sort((a, b) => b.v - a.v)[0];
  await page.locator(`[data-testid="chart-table"] tbody tr:first-child td[data-col="${busiest.col}"] [data-testid="drill"]`).click();
  const modal = page.locator('[role="dialog"]:has([data-testid="drill-title"])').last();
  await modal.waitFor();
  await modal.locator('[data-testid="person-row"]').first().waitFor();
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
  await page.waitForTimeout(500);
  const drillIds = await modal.locator('[data-testid="person-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-uuid')));
  // the drilled actors that have a profile (anonymous visitors have none, and a cohort holds persons);
  // the browser reports each 404 of this probe itself: those are expected
  const errorsBefore = consoleErrors.length;
  const profiled = await page.evaluate(async ([pid, ids]) => {
    const found = await Promise.all(ids.map((id) => fetch(`/api/projects/${pid}/persons/${id}/`).then((r) => (r.ok ? id : null))));
    return found.filter(Boolean);
  }, [projectId, drillIds]);
  await page.waitForTimeout(300);
  const during = consoleErrors.splice(errorsBefore);
  consoleErrors.push(...during.filter((e) => !/status of 404/.test(e)));
  await modal.locator('[data-testid="drill-save-cohort"]').click();
  await page.locator('[data-testid="drill-cohort-name"]').fill('Busiest day viewers');
  await shot('save-as-cohort');
  await page.locator('[data-testid="drill-cohort-save"]').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="drill-title"]'));
  const all = await api('GET', `/api/projects/${projectId}/cohorts/`);
  const made = all.body.results.find((c) => c.name === 'Busiest day viewers');
  const made_members = made ? await api('GET', `/api/projects/${projectId}/cohorts/${made.id}/persons/?limit=1000`) : null;
  summary.saveAsCohort = {
    cellValue: busiest.v,
    drillIds,
    profiled,
    cohort: made ? { id: made.id, count: made.count, isStatic: made.is_static, members: made_members.body.results.map((p) => p.uuid) } : null,
  };

  step = 'compare cohorts in retention';
  const retention = {
    kind: 'RetentionQuery',
    dateRange: { date_from: '-14d' },
    retentionFilter: { targetEntity: { id: '$pageview', type: 'events' }, returningEntity: { id: '$pageview', type: 'events' },
      retentionType: 'retention_recurring', period: 'Day', totalIntervals: 7 },
  };
  await page.goto(`${base}/project/${projectId}/insights/new?q=${encodeURIComponent(JSON.stringify(retention))}`);
  await page.waitForSelector('[data-testid="insight-result"][data-stale="false"]', { timeout: 60000 });
  const picker = page.locator('[data-testid="breakdown-cohorts"]');
  const cohortsNow = (await api('GET', `/api/projects/${projectId}/cohorts/`)).body.results;
  const compared = cohortsNow.slice(0, 2).map((c) => ({ id: c.id, name: c.name }));
  for (const c of compared) await choose(picker, c.name);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q')?.includes('breakdownFilter'));
  await page.waitForSelector('[data-testid="insight-result"][data-stale="false"]', { timeout: 60000 });
  await page.locator('[data-testid="view-toggle"] label').filter({ hasText: /^\s*Table\s*$/ }).click();
  await page.waitForSelector('[data-testid="chart-table"] tbody tr');
  await page.waitForTimeout(300);
  const shownRows = await page.locator('[data-testid="chart-table"] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.getAttribute('data-value') ?? td.textContent.trim())));
  const sent = JSON.parse(new URL(page.url()).searchParams.get('q'));
  const answer = await api('POST', `/api/projects/${projectId}/query/`, { query: sent });
  await shot('retention-compared');
  summary.retentionCompared = { compared, sent, shownRows, api: answer.body.results };
}

try {
  await run();
} catch (error) {
  await page.screenshot({ path: join(screenshotDir, 'cohorts-failure.png'), fullPage: true }).catch(() => {});
  await browser.close();
  fail(`${step}: ${error.stack ?? error}`, { ...summary, url: page.url() });
}
await browser.close();
succeed(summary);
