// bench/run pages, the dashboard part: how long a dashboard of several insights takes to show every
// tile's numbers in Debian's chromium.
// node dashboard-bench.mjs BASE_URL EMAIL PASSWORD PROJECT_ID DASHBOARD_ID TILES RUNS
// The first visit finds nothing cached on the server (each tile's query runs); later visits find
// the engine's cached answers (the data did not change), with the app's files in the browser cache.
// A tile counts as shown when it is no longer loading and holds a chart, a number or a table.
import { launchChromium, desktopUserAgent, chromiumMajorVersion } from './chromium.mjs';

const [base, email, password, projectId, dashboardId, tilesArg, runsArg] = process.argv.slice(2);
const tiles = Number(tilesArg);
const runs = Number(runsArg || 5);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const browser = await launchChromium(desktopUserAgent(chromiumMajorVersion()));
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
const errors = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(String(e)));
const login = await page.request.post(`${base}/api/login/`, { data: { email, password } });
if (login.status() !== 200) throw new Error(`sign-in failed: ${login.status()} ${await login.text()}`);

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
