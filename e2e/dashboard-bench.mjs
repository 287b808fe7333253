// bench/run pages, the dashboard part: how long a dashboard of several insights takes to show every
// tile's numbers in Debian's chromium.
// node dashboard-bench.mjs BASE_URL EMAIL PASSWORD PROJECT_ID DASHBOARD_ID TILES RUNS
// The first visit finds nothing computed on the server (each tile's query runs while the page
// waits); then browsers that never saw the app, and return visits with the app's files cached,
// find each tile's kept answer (see TileAnswers).
// A tile counts as shown when it is no longer loading and holds a drawn chart, a number or a table.
import { median, signedInPage } from './bench-browser.mjs';

const [base, email, password, projectId, dashboardId, tilesArg, runsArg] = process.argv.slice(2);
const tiles = Number(tilesArg);
const runs = Number(runsArg || 5);

const { browser, page, errors } = await signedInPage(base, email, password);

/** Opens the dashboard in `p`; the time from navigation start until every tile shows its numbers. */
async function visit(p) {
  await p.goto('about:blank');
  await p.goto(`${base}/project/${projectId}/dashboard/${dashboardId}`, { waitUntil: 'commit' });
  await p.waitForFunction((n) => {
    // a chart counts once ECharts has drawn it (its canvas is in), not when its data has arrived
    const ready = [...document.querySelectorAll('[data-testid="dashboard-tile"][data-loading="false"]')]
      .filter((t) => !t.querySelector('[data-testid="tile-skeleton"]')
        && [...t.querySelectorAll('[data-testid="chart-canvas"]')].every((c) => c.querySelector('canvas'))
        && t.querySelector('[data-testid="chart"], [data-testid="chart-number"], [data-testid="chart-table"], [data-testid="chart-empty"], canvas, svg, table'));
    return ready.length >= n;
  }, tiles, { timeout: 120000, polling: 20 });
  return p.evaluate(() => performance.now() - performance.getEntriesByType('navigation')[0].startTime);
}

/** A browser that never saw the app (empty HTTP cache), signed in. */
async function newBrowserPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const p = await context.newPage();
  p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const login = await p.request.post(`${base}/api/login/`, { data: { email, password } });
  if (login.status() !== 200) throw new Error(`sign-in failed: ${login.status()}`);
  return { context, p };
}

// 1. nothing computed on the server yet: every tile's query runs while the page waits
const cold = await visit(page);
// 2. a browser that never saw the app, the answers kept on the server (TileAnswers)
const fresh = [];
for (let i = 0; i < Math.max(1, Math.min(runs, 3)); i++) {
  const { context, p } = await newBrowserPage();
  fresh.push(await visit(p));
  await context.close();
}
// 3. return visits: the app's files in the browser cache, the answers kept on the server
const warm = [];
for (let i = 0; i < runs; i++) warm.push(await visit(page));
await browser.close();
console.log(JSON.stringify({ tiles, first_visit_nothing_cached_ms: Math.round(cold),
  new_browser_answers_kept_median_ms: Math.round(median(fresh)), new_browser_runs_ms: fresh.map(Math.round),
  cached_median_ms: Math.round(median(warm)), cached_runs_ms: warm.map(Math.round), console_errors: errors }));
