// Server-side enrichment of posthog-node events:
//   node node-enrichment.mjs <server-url> <project-token>
// A backend forwards its visitors' address ($ip) and user agent ($raw_user_agent) on the events it
// captures. posthog-node asks the server not to geolocate ($geoip_disable) unless the client is
// created with `disableGeoip: false`, as here; the last event asks for no GeoIP per call.
// Prints {run, events}: the events exactly as the SDK put them on the wire.
import { PostHog } from 'posthog-node';
import { serverArgs, runId, batchRecorder, succeed, fail } from './wire.mjs';

const { url, token } = serverArgs();
const run = runId();
const { events, statuses, fetch: recordingFetch } = batchRecorder();
const errors = [];

export const DESKTOP_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.127 Safari/537.36';
export const IPHONE_SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

const client = new PostHog(token, { host: url, fetch: recordingFetch, flushAt: 100, flushInterval: 0, fetchRetryCount: 0, disableGeoip: false });
client.on('error', (error) => errors.push(String(error?.stack ?? error)));
try {
  client.capture({ distinctId: `desktop-${run}`, event: 'order placed',
    properties: { $ip: '81.2.69.142', $raw_user_agent: DESKTOP_CHROME } });
  client.capture({ distinctId: `phone-${run}`, event: 'order placed',
    properties: { $ip: '2a00:1450:4001:80b::200e', $raw_user_agent: IPHONE_SAFARI } });
  client.capture({ distinctId: `private-${run}`, event: 'order placed', disableGeoip: true,
    properties: { $ip: '81.2.69.142', $raw_user_agent: DESKTOP_CHROME } });
  await client.shutdown(15000);
} catch (error) {
  fail('posthog-node threw: ' + (error?.stack ?? error), { statuses });
}
if (errors.length > 0) fail('posthog-node reported errors', { errors, statuses });
if (statuses.some((s) => s >= 300)) fail('the server refused requests', { statuses });
succeed({ run, events });
