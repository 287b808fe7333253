// bench/run pages: how fast the web app shows its content in Debian's chromium.
// node pages-bench.mjs BASE_URL EMAIL PASSWORD PROJECT_ID HEAVY_PERSON_UUID RUNS
// Prints JSON: per page, the time from navigation start to its first content row (median of RUNS
// fresh loads, cache disabled, so every run downloads its JavaScript), first contentful paint,
// the API call the page waits for timed by fetch in the same page (the ceiling), and the gzipped
// bytes of JavaScript loaded before the content showed.
import { launchChromium, desktopUserAgent, chromiumMajorVersion } from './chromium.mjs';

const [base, email, password, projectId, heavy, runsArg] = process.argv.slice(2);
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

// sign in once through the API, as the sign-in page does; the session cookie stays in the context
const login = await page.request.post(`${base}/api/login/`, { data: { email, password } });
if (login.status() !== 200) throw new Error(`sign-in failed: ${login.status()} ${await login.text()}`);

const cdp = await context.newCDPSession(page);
await cdp.send('Network.enable');
await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });

const pages = {
  persons: { path: `/project/${projectId}/persons`, ready: '[data-testid="person-row"]', api: `/api/projects/${projectId}/persons/?limit=100` },
  profile_heavy_person: { path: `/project/${projectId}/person/${heavy}`, ready: '[data-testid="timeline-event"]',
    api: `/api/projects/${projectId}/persons/${heavy}/timeline/?limit=100` },
  events: { path: `/project/${projectId}/events`, ready: '[data-testid="event-row"]', api: `/api/projects/${projectId}/events/?limit=100` },
};

const figures = {};
for (const [name, p] of Object.entries(pages)) {
  const content = [], fcp = [], api = [], js = [];
  for (let i = 0; i < runs + 1; i++) {
    await page.goto('about:blank');
    await page.goto(base + p.path, { waitUntil: 'commit' });
    await page.waitForSelector(p.ready, { timeout: 30000 });
    const m = await page.evaluate((ready) => {
      const nav = performance.getEntriesByType('navigation')[0];
      const shownAt = performance.now();
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      const scripts = performance.getEntriesByType('resource')
        .filter((r) => r.initiatorType === 'script' || r.name.endsWith('.js'))
        .filter((r) => r.startTime < shownAt);
      const navJs = 0;
      return {
        content: shownAt - nav.startTime,
        fcp: paint ? paint.startTime : NaN,
        jsBytes: scripts.reduce((sum, r) => sum + (r.encodedBodySize || r.transferSize || 0), navJs),
        ready,
      };
    }, p.ready);
    const apiMs = await page.evaluate(async (url) => {
      const t = performance.now();
      const r = await fetch(url, { cache: 'no-store' });
      await r.json();
      return performance.now() - t;
    }, p.api);
    if (i === 0) continue; // the first load warms the server's caches and the JIT: not what a visitor sees twice
    content.push(m.content); fcp.push(m.fcp); api.push(apiMs); js.push(m.jsBytes);
  }
  figures[name] = {
    content_median_ms: Math.round(median(content)), content_runs_ms: content.map(Math.round),
    fcp_median_ms: Math.round(median(fcp)), api_median_ms: Math.round(median(api) * 10) / 10,
    js_gzip_kb: Math.round(median(js) / 102.4) / 10,
  };
}

// the empty shell: the app's HTML, JS and CSS with no data to wait for (a page that needs none)
const shell = [];
for (let i = 0; i < runs + 1; i++) {
  await page.goto('about:blank');
  await page.goto(base + '/login', { waitUntil: 'commit' });
  await page.waitForSelector('nav, [data-testid="login-page"], [data-testid="persons-page"]', { timeout: 30000 });
  const t = await page.evaluate(() => performance.now() - performance.getEntriesByType('navigation')[0].startTime);
  if (i > 0) shell.push(t);
}

await browser.close();
console.log(JSON.stringify({ pages: figures, shell_median_ms: Math.round(median(shell)), console_errors: errors }, null, 1));
