// Debian's chromium, launched the way every browser script here needs it: headless, no downloads of
// its own, and with the user agent of a normal desktop Chrome of the same version (posthog-js drops
// the events of anything that looks like a bot, and a headless user agent does).
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export function chromiumMajorVersion() {
  const version = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const match = version.match(/(\d+)\.\d+\.\d+/);
  if (!match) throw new Error('cannot read the chromium version from: ' + version);
  return match[1];
}

export function desktopUserAgent(major) {
  return `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`;
}

/**
 * The user agent goes on the command line because a browser-context override is gone by the time
 * `pagehide` runs, and posthog-js would then drop $pageleave as a bot event.
 */
export function launchChromium(userAgent) {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', `--user-agent=${userAgent}`],
  });
}

/** Hides navigator.webdriver, which posthog-js also reads as a sign of a bot. */
export async function hideWebdriver(context) {
  await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => false }));
}

const posthogJs = readFileSync(new URL('./node_modules/posthog-js/dist/array.full.js', import.meta.url));

/**
 * Serves the test pages and posthog-js itself on a free loopback port (another origin than the
 * Sightline server, as on a real site). Returns the site's base URL and the server to close.
 */
export async function serveSite(pages) {
  const site = http.createServer((req, res) => {
    const path = new URL(req.url, 'http://site').pathname;
    if (path === '/posthog.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      res.end(posthogJs);
    } else if (pages[path]) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(pages[path]);
    } else {
      res.writeHead(path === '/favicon.ico' ? 204 : 404).end();
    }
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  return { site, siteUrl: `http://127.0.0.1:${site.address().port}` };
}

/** Where each page keeps a copy of every event the SDK produced (see {@link posthogPage}). */
export const PRODUCED_KEY = 'sightline-e2e-produced';

/**
 * A test page that loads posthog-js and initialises it against the server: pageviews on, autocapture,
 * recordings and surveys off, plus `options` (per page). `window.posthogLoaded` resolves once the
 * SDK is loaded. `before_send` keeps a copy of each event as the SDK is about to send it (the
 * event goes out unchanged) in sessionStorage, which is synchronous and outlives the page, so this
 * works during pagehide too.
 */
export function posthogPage({ title, token, serverUrl, debug, options = {}, body = '' }) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title>
<script src="/posthog.js"></script>
<script>
  window.posthogLoaded = new Promise((resolve) => {
    posthog.init(${JSON.stringify(token)}, Object.assign({
      api_host: ${JSON.stringify(serverUrl)},
      capture_pageview: true,
      autocapture: false,
      disable_session_recording: true,
      disable_surveys: true,
      debug: ${Boolean(debug)},
      loaded: resolve,
      before_send: (event) => {
        const produced = JSON.parse(sessionStorage.getItem('${PRODUCED_KEY}') || '[]');
        produced.push(event);
        sessionStorage.setItem('${PRODUCED_KEY}', JSON.stringify(produced));
        return event;
      },
    }, ${JSON.stringify(options)}));
  });
</script>
</head><body><h1>${title}</h1>${body}</body></html>`;
}

/** The events a tab's pages have produced so far (from {@link posthogPage}'s copies). */
export async function producedEvents(tab) {
  return JSON.parse(await tab.evaluate((key) => sessionStorage.getItem(key) || '[]', PRODUCED_KEY));
}
