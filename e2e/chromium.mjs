// Debian's chromium, launched the way every browser script here needs it: headless, no downloads of
// its own, and with the user agent of a normal desktop Chrome of the same version (posthog-js drops
// the events of anything that looks like a bot, and a headless user agent does).
import { execFileSync } from 'node:child_process';
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
