// What the browser benchmarks share: a median, and a signed-in Chromium page at 1280×800 that
// collects console errors (the benchmarks report them beside their figures).
import { launchChromium, desktopUserAgent, chromiumMajorVersion } from './chromium.mjs';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Signs in through the API, as the sign-in page does; the session cookies stay in the page's context. */
export async function signedInPage(base, email, password) {
  const browser = await launchChromium(desktopUserAgent(chromiumMajorVersion()));
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  const login = await page.request.post(`${base}/api/login/`, { data: { email, password } });
  if (login.status() !== 200) throw new Error(`sign-in failed: ${login.status()} ${await login.text()}`);
  return { browser, context, page, errors };
}
