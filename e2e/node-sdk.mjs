// Drives the official posthog-node SDK against a Sightline server:
//   node node-sdk.mjs <server-url> <project-token>
// Prints {lib, libVersion, distinctIds, requests, events} where `events` are the events exactly as
// the SDK put them on the wire, and exits non-zero if the SDK reported an error or the server
// refused a request.
import { PostHog } from 'posthog-node';
import { serverArgs, packageVersion, runId, decodeEvents, bodyShape, succeed, fail } from './wire.mjs';

const { url, token } = serverArgs();
const run = runId();
const libVersion = packageVersion('posthog-node');

const requests = [];
const events = [];
const errors = [];

// Records every request the SDK makes, then lets it through unchanged.
async function recordingFetch(requestUrl, options) {
  const body = await bodyBytes(options.body);
  const headers = lowerCaseKeys(options.headers);
  const path = new URL(requestUrl).pathname + new URL(requestUrl).search;
  const response = await fetch(requestUrl, options);
  requests.push({
    method: options.method,
    path,
    contentType: headers['content-type'] ?? null,
    contentEncoding: headers['content-encoding'] ?? null,
    shape: bodyShape(body, headers['content-type'], headers['content-encoding']),
    status: response.status,
  });
  if (options.method === 'POST' && /\/(batch|e|capture|i\/v0\/e)\/?$/.test(new URL(requestUrl).pathname)) {
    events.push(...decodeEvents(body, headers['content-type']));
  }
  return response;
}

async function bodyBytes(body) {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (typeof Blob !== 'undefined' && body instanceof Blob) return Buffer.from(await body.arrayBuffer());
  return Buffer.from(body.buffer ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength) : body);
}

function lowerCaseKeys(headers = {}) {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

const user = `node-user-${run}`;
const alias = `node-alias-${run}`;
const company = `acme-${run}`;

const client = new PostHog(token, {
  host: url,
  fetch: recordingFetch,
  flushAt: 100,
  flushInterval: 0,
  requestTimeout: 10000,
  fetchRetryCount: 0,
});
client.on('error', (error) => errors.push(String(error?.stack ?? error)));

try {
  client.capture({
    distinctId: user,
    event: 'node order placed',
    properties: {
      plan: 'pro',
      amount: 42.5,
      quantity: 3,
      paid: true,
      coupon: null,
      tags: ['red', 'blue'],
      shipping: { city: 'Zürich', express: false },
      note: 'ünïcödé ✓ 字',
    },
    groups: { company },
  });
  client.identify({
    distinctId: user,
    properties: {
      $set: { email: `${user}@example.com`, plan: 'pro' },
      $set_once: { first_seen_via: 'posthog-node' },
    },
  });
  client.alias({ distinctId: user, alias });
  client.groupIdentify({
    groupType: 'company',
    groupKey: company,
    properties: { name: 'Acme Inc', employees: 42 },
  });
  await client.shutdown(15000);
} catch (error) {
  fail('posthog-node threw: ' + (error?.stack ?? error), { requests });
}

if (errors.length > 0) fail('posthog-node reported errors', { errors, requests });
const refused = requests.filter((r) => r.status >= 300);
if (refused.length > 0) fail('the server refused requests', { refused });
if (events.length !== 4) fail(`expected 4 events on the wire, saw ${events.length}`, { requests, events });

succeed({ lib: 'posthog-node', libVersion, distinctIds: { user, alias, company }, requests, events });
