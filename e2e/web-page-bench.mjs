// bench/run web-page: how long the web analytics page takes to show its numbers in Debian's
// chromium, over the web benchmark's dataset. node web-page-bench.mjs BASE_URL EMAIL PASSWORD PROJECT_ID QUERY RUNS
// QUERY is the page's own URL state (the dataset's fixed month). Measured from navigation start:
// the overview's numbers, then the whole page (no tile loading, the map drawn, the tables filled);
// a first visit (browser cache off, nothing cached on the server) and return visits.
import { median, signedInPage } from './bench-browser.mjs';

const [base, email, password, projectId, query, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 5);
const { browser, context, page, errors } = await signedInPage(base, email, password);

async function visit(cacheOff) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: cacheOff });
  await page.goto('about:blank');
  await page.goto(`${base}/project/${projectId}/web?${query}`, { waitUntil: 'commit' });
  const since = () => performance.now() - performance.getEntriesByType('navigation')[0].startTime;
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="web-tile-value"]')].some((e) => /\d/.test(e.textContent)),
    null, { timeout: 120000, polling: 10 });
  const overview = await page.evaluate(since);
  await page.waitForFunction(() => !document.querySelector('.mantine-Skeleton-root')
    && document.querySelector('[data-testid="web-map"] canvas')
    && document.querySelector('[data-testid="web-table-Page"] tbody tr')
    && document.querySelector('[data-testid="web-trend"] canvas'), null, { timeout: 120000, polling: 10 });
  const whole = await page.evaluate(since);
  await cdp.detach();
  return { overview, whole };
}

const first = await visit(true);
const again = [];
for (let i = 0; i < runs; i++) again.push(await visit(false));
await browser.close();
console.log(JSON.stringify({
  first_visit_overview_ms: Math.round(first.overview), first_visit_whole_page_ms: Math.round(first.whole),
  return_overview_median_ms: Math.round(median(again.map((v) => v.overview))),
  return_whole_page_median_ms: Math.round(median(again.map((v) => v.whole))),
  return_runs_whole_ms: again.map((v) => Math.round(v.whole)), console_errors: errors,
}));
