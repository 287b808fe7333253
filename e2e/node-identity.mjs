// Identity flows with the official posthog-node SDK:
//   node node-identity.mjs <server-url> <project-token>
// Anonymous captures, identify with $anon_distinct_id, alias, an alias of an already identified
// person (which PostHog refuses), blocked ids ('null', 'undefined'), and $set / $set_once / $unset
// across events. Everything goes in call order in one gzip /batch/ (flushAt is larger than the
// number of calls), so the server sees the calls in the order made here.
// Prints {run, events}: `run` is the suffix of every distinct id except the blocked ones, `events`
// the events exactly as the SDK put them on the wire.
import { PostHog } from 'posthog-node';
import { serverArgs, runId, batchRecorder, succeed, fail } from './wire.mjs';

const { url, token } = serverArgs();
const run = runId();
const id = (name) => `${name}-${run}`;
const { events, statuses, fetch: recordingFetch } = batchRecorder();
const errors = [];

const client = new PostHog(token, { host: url, fetch: recordingFetch, flushAt: 100, flushInterval: 0, fetchRetryCount: 0 });
client.on('error', (error) => errors.push(String(error?.stack ?? error)));

try {
  // An anonymous visitor, tracked by the server with person processing on (server SDKs never send
  // $process_person_profile: false unless asked): $set_once keeps the first value, $set the last.
  client.capture({ distinctId: id('anon-1'), event: 'landing viewed',
    properties: { $set_once: { first_source: 'ad' }, $set: { plan: 'free', color: 'red' } } });
  client.capture({ distinctId: id('anon-1'), event: 'pricing viewed',
    properties: { $set_once: { first_source: 'newsletter' }, $set: { plan: 'trial' } } });

  // identify() takes $anon_distinct_id among its properties and sends it inside the $identify event.
  client.identify({ distinctId: id('u1'), properties: {
    $set: { email: `${id('u1')}@example.com`, plan: 'pro' },
    $set_once: { signup_via: 'posthog-node', first_source: 'identify' },
    $anon_distinct_id: id('anon-1'),
  } });
  // An old id of the same user becomes one of its distinct ids.
  client.alias({ distinctId: id('u1'), alias: id('u1-old') });

  // A second anonymous visitor with a person of its own, merged in by alias: u1's values win.
  client.capture({ distinctId: id('anon-3'), event: 'docs viewed', properties: { $set: { plan: 'enterprise-trial', shoe_size: 44 } } });
  client.alias({ distinctId: id('u1'), alias: id('anon-3') });

  // Another identified user: an alias that would merge it away is refused.
  client.identify({ distinctId: id('u2'), properties: { $set: { email: `${id('u2')}@example.com` }, $anon_distinct_id: id('anon-2') } });
  client.alias({ distinctId: id('u1'), alias: id('u2') });

  // Blocked ids never merge: 'null' has a person of its own (captures still count) and stays apart;
  // identify with $anon_distinct_id 'undefined' is a plain update of u3, which stays unidentified.
  client.capture({ distinctId: 'null', event: 'broken client event', properties: { $set: { from_null: true } } });
  client.alias({ distinctId: id('u1'), alias: 'null' });
  client.identify({ distinctId: id('u3'), properties: { $set: { name: 'Three' }, $anon_distinct_id: 'undefined' } });

  // $set / $set_once across later events of u1: $set_once never overwrites, $set in the same event
  // beats $set_once of the same key, the last $set wins, $unset removes.
  client.capture({ distinctId: id('u1'), event: 'plan changed',
    properties: { $set: { plan: 'team', seats: 5 }, $set_once: { first_source: 'late', seats: 1, first_plan_change: 'team' } } });
  client.setPersonProperties({ distinctId: id('u1'), properties: { plan: 'business' }, propertiesOnce: { first_plan_change: 'business' } });
  client.unsetPersonProperties({ distinctId: id('u1'), properties: ['color'] });

  await client.shutdown(15000);
} catch (error) {
  fail('posthog-node threw: ' + (error?.stack ?? error), { statuses });
}
if (errors.length > 0) fail('posthog-node reported errors', { errors, statuses });
if (statuses.some((s) => s >= 300)) fail('the server refused requests', { statuses });
succeed({ run, requests: statuses.length, events });
