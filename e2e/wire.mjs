// What the end-to-end scripts share: reading their arguments, decoding capture bodies exactly as
// they went over the wire, and reporting a JSON summary (or a failure) to the Java tests.
import { gunzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Server URL and project token from argv (`node x.mjs URL TOKEN`) or SIGHTLINE_URL / SIGHTLINE_TOKEN. */
export function serverArgs() {
  const url = process.argv[2] ?? process.env.SIGHTLINE_URL;
  const token = process.argv[3] ?? process.env.SIGHTLINE_TOKEN;
  if (!url || !token) {
    fail('usage: node ' + process.argv[1] + ' <server-url> <project-token>  (or SIGHTLINE_URL / SIGHTLINE_TOKEN)');
  }
  return { url: url.replace(/\/+$/, ''), token };
}

/** The installed version of an npm package (some packages do not export their package.json). */
export function packageVersion(name) {
  const file = new URL(`./node_modules/${name}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')).version;
}

/** A short random id so that runs against the same server never share distinct ids. */
export function runId() {
  return randomBytes(4).toString('hex');
}

/**
 * Decodes a capture request body the way a PostHog-compatible server must: gzip is recognised by
 * its magic bytes (posthog-js sends it as text/plain without Content-Encoding), form bodies carry
 * base64 JSON in `data=`. Returns the events it holds, whatever envelope they came in.
 */
export function decodeEvents(body, contentType = '') {
  if (!body || body.length === 0) return [];
  let text;
  if (body[0] === 0x1f && body[1] === 0x8b) {
    text = gunzipSync(body).toString('utf8');
  } else if (contentType.includes('application/x-www-form-urlencoded')) {
    const data = new URLSearchParams(body.toString('utf8')).get('data');
    text = Buffer.from(data, 'base64').toString('utf8');
  } else {
    text = body.toString('utf8');
  }
  const parsed = JSON.parse(text);
  if (Array.isArray(parsed)) return parsed;
  if (Array.isArray(parsed.batch)) return parsed.batch;
  return [parsed];
}

/** Names the body encoding seen on the wire, for the tests to assert which paths were exercised. */
export function bodyShape(body, contentType = '', contentEncoding = '') {
  if (!body || body.length === 0) return 'empty';
  if (body[0] === 0x1f && body[1] === 0x8b) return contentEncoding === 'gzip' ? 'gzip-header' : 'gzip-magic';
  if (contentType.includes('application/x-www-form-urlencoded')) return 'form-base64';
  return 'json';
}

/** Prints the summary for the Java test and exits 0. */
export function succeed(summary) {
  process.stdout.write(JSON.stringify(summary) + '\n');
  process.exit(0);
}

/** Reports a failure on stderr and exits non-zero, so the calling test fails with the reason. */
export function fail(message, details) {
  process.stderr.write('FAILED: ' + message + '\n');
  if (details !== undefined) process.stderr.write(JSON.stringify(details, null, 2) + '\n');
  process.exit(1);
}

/**
 * A fetch for posthog-node that records the status of every answer and every event the SDK posts
 * to /batch/, exactly as it put them on the wire.
 */
export function batchRecorder() {
  const events = [];
  const statuses = [];
  async function recordingFetch(requestUrl, options) {
    const response = await fetch(requestUrl, options);
    statuses.push(response.status);
    if (options.method === 'POST' && /\/batch\/?$/.test(new URL(requestUrl).pathname)) {
      const body = typeof options.body === 'string' ? Buffer.from(options.body) : Buffer.from(await new Response(options.body).arrayBuffer());
      events.push(...decodeEvents(body, 'application/json'));
    }
    return response;
  }
  return { events, statuses, fetch: recordingFetch };
}
