// bench/run pages: how fast the web app shows its content in Debian's chromium.
// node pages-bench.mjs BASE_URL EMAIL PASSWORD PROJECT_ID HEAVY_PERSON_UUID RUNS
// Prints JSON: per page, the time from navigation start to its first content row, median of RUNS
// loads, twice: cold (a first visit: browser cache disabled, every run downloads the app's
// JavaScript and CSS) and warm (a return visit: the hashed assets, served `immutable`, come from
// the browser's cache; the HTML and the data are asked for again). Beside them: first contentful
// paint, the API call the page waits for timed by fetch in the same page (the ceiling), and the
// gzipped bytes of JavaScript loaded before the content showed (cold).
import { median, signedInPage } from './bench-browser.mjs';

const [base, email, password, projectId, heavy, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 5);


const { browser, context, page, errors } = await signedInPage(base, email, password);

const cdp = await context.newCDPSession(page);
await cdp.send('Network.enable');
const cache = (on) => cdp.send('Network.setCacheDisabled', { cacheDisabled: !on });

const pages = {
  persons: { path: `/project/${projectId}/persons`, ready: '[data-testid="person-row"]', api: `/api/projects/${projectId}/persons/?limit=100` },
  profile_heavy_person: { path: `/project/${projectId}/person/${heavy}`, ready: '[data-testid="timeline-event"]',
    api: `/api/projects/${projectId}/persons/${heavy}/timeline/?limit=100` },
  events: { path: `/project/${projectId}/events`, ready: '[data-testid="event-row"]', api: `/api/projects/${projectId}/events/?limit=100` },
};

/** One load of `path` in a fresh document, until `ready` is on screen. */
async function load(path, ready) {
  await page.goto('about:blank');
  await page.goto(base + path, { waitUntil: 'commit' });
  await page.waitForSelector(ready, { timeout: 30000 });
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const shownAt = performance.now();
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    const scripts = performance.getEntriesByType('resource')
      .filter((r) => r.initiatorType === 'script' || r.name.endsWith('.js'))
      .filter((r) => r.startTime < shownAt);
    return {
      content: shownAt - nav.startTime,
      fcp: paint ? paint.startTime : NaN,
      jsBytes: scripts.reduce((sum, r) => sum + (r.encodedBodySize || r.transferSize || 0), 0),
    };
  });
}

/** RUNS loads after one that is not counted (it warms the server's caches and the JIT, or fills the browser's cache). */
async function measure(path, ready, warm) {
  await cache(warm);
  const out = { content: [], fcp: [], js: [] };
  for (let i = 0; i < runs + 1; i++) {
    const m = await load(path, ready);
    if (i === 0) continue;
    out.content.push(m.content); out.fcp.push(m.fcp); out.js.push(m.jsBytes);
  }
  return out;
}

const ms = (xs) => Math.round(median(xs));
const figures = {};
for (const [name, p] of Object.entries(pages)) {
  const cold = await measure(p.path, p.ready, false);
  const warm = await measure(p.path, p.ready, true);
  const api = [];
  for (let i = 0; i < runs; i++) {
    api.push(await page.evaluate(async (url) => {
      const t = performance.now();
      const r = await fetch(url, { cache: 'no-store' });
      await r.json();
      return performance.now() - t;
    }, p.api));
  }
  figures[name] = {
    content_cold_median_ms: ms(cold.content), content_cold_runs_ms: cold.content.map(Math.round),
    content_warm_median_ms: ms(warm.content), content_warm_runs_ms: warm.content.map(Math.round),
    fcp_cold_median_ms: ms(cold.fcp), fcp_warm_median_ms: ms(warm.fcp),
    api_median_ms: Math.round(median(api) * 10) / 10,
    js_gzip_kb: Math.round(median(cold.js) / 102.4) / 10,
  };
}

// the empty shell: the app's HTML, JS and CSS with no data to wait for (a page that needs none)
const shellReady = 'nav, [data-testid="login-page"], [data-testid="persons-page"]';
const shell = {};
for (const warm of [false, true]) shell[warm ? 'warm' : 'cold'] = ms((await measure('/login', shellReady, warm)).content);

await browser.close();
console.log(JSON.stringify({ pages: figures, shell_cold_median_ms: shell.cold, shell_warm_median_ms: shell.warm, console_errors: errors }, null, 1));
