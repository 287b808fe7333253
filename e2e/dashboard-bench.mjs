// bench/run pages, the dashboard part: how long a dashboard of several insights takes to show every
// tile's numbers in Debian's chromium.
// node dashboard-bench.mjs BASE_URL EMAIL PASSWORD PROJECT_ID DASHBOARD_ID TILES RUNS
// The first visit finds nothing cached on the server (each tile's query runs); later visits find
// the engine's cached answers (the data did not change), with the app's files in the browser cache.
// A tile counts as shown when it is no longer loading and holds a chart, a number or a table.
import { median, signedInPage } from './bench-browser.mjs';

const [base, email, password, projectId, dashboardId, tilesArg, runsArg] = process.argv.slice(2);
const tiles = Number(tilesArg);
const runs = Number(runsArg || 5);

const { browser, page, errors } = await signedInPage(base, email, password);

async function visit() {
  await page.goto('about:blank');
  await page.goto(`${base}/project/${projectId}/dashboard/${dashboardId}`, { waitUntil: 'commit' });
  await page.waitForFunction((n) => {
    const ready = [...document.querySelectorAll('[data-testid="dashboard-tile"][data-loading="false"]')]
      .filter((t) => !t.querySelector('[data-testid="tile-skeleton"]')
        && t.querySelector('[data-testid="chart"], [data-testid="chart-number"], [data-testid="chart-table"], [data-testid="chart-empty"], canvas, svg, table'));
    return ready.length >= n;
  }, tiles, { timeout: 120000, polling: 20 });
  return page.evaluate(() => performance.now() - performance.getEntriesByType('navigation')[0].startTime);
}

const cold = await visit();
const warm = [];
for (let i = 0; i < runs; i++) warm.push(await visit());
await browser.close();
console.log(JSON.stringify({ tiles, first_visit_nothing_cached_ms: Math.round(cold), cached_median_ms: Math.round(median(warm)),
  cached_runs_ms: warm.map(Math.round), console_errors: errors }));
