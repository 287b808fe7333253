// The install instructions shown in settings and in the onboarding empty state. The HTML snippet
// is Sightline's own loader for posthog-js: a stub `posthog` that queues calls (init's arguments
// in `_i`, the rest as [method, ...args]) and loads <api_host>/static/array.js, which this server
// serves from the posthog-js it pins and which replays the queue. e2e/snippet.mjs tests the same
// loader in Chromium (PosthogSnippetTest).

const STUB_METHODS = [
  'init', 'capture', 'register', 'register_once', 'register_for_session', 'unregister', 'unregister_for_session',
  'getFeatureFlag', 'getFeatureFlagPayload', 'isFeatureEnabled', 'reloadFeatureFlags', 'updateEarlyAccessFeatureEnrollment',
  'getEarlyAccessFeatures', 'on', 'onFeatureFlags', 'onSessionId', 'getSurveys', 'getActiveMatchingSurveys', 'renderSurvey',
  'canRenderSurvey', 'getNextSurveyStep', 'identify', 'setPersonProperties', 'group', 'resetGroups',
  'setPersonPropertiesForFlags', 'resetPersonPropertiesForFlags', 'setGroupPropertiesForFlags', 'resetGroupPropertiesForFlags',
  'reset', 'get_distinct_id', 'getGroups', 'get_session_id', 'get_session_replay_url', 'alias', 'set_config',
  'startSessionRecording', 'stopSessionRecording', 'sessionRecordingStarted', 'captureException', 'loadToolbar',
  'get_property', 'getSessionProperty', 'createPersonProfile', 'opt_in_capturing', 'opt_out_capturing',
  'has_opted_in_capturing', 'has_opted_out_capturing', 'clear_opt_in_out_capturing', 'debug',
].join(' ');

export function htmlSnippet(token: string, host: string): string {
  return `<script>
  (function (doc, stub) {
    if (stub.__SV || stub.__loaded) return;
    window.posthog = stub;
    stub._i = [];
    stub.init = function (token, config, name) {
      var script = doc.createElement('script');
      script.async = true;
      script.crossOrigin = 'anonymous';
      script.src = config.api_host + '/static/array.js';
      doc.head.appendChild(script);
      var target = name === undefined ? stub : (stub[name] = []);
      target.people = target.people || [];
      '${STUB_METHODS}'.split(' ').forEach(function (method) {
        target[method] = function () { target.push([method].concat([].slice.call(arguments))); };
      });
      stub._i.push([token, config, name]);
    };
    stub.__SV = 1;
  })(document, window.posthog || []);
  posthog.init('${token}', {
    api_host: '${host}',
    person_profiles: 'identified_only',
  });
</script>`;
}

export function jsSnippet(token: string, host: string): string {
  return `// npm install posthog-js
import posthog from 'posthog-js'

posthog.init('${token}', {
  api_host: '${host}',
  person_profiles: 'identified_only',
})

// when the user signs in:
posthog.identify('user@example.com', { email: 'user@example.com' })`;
}

export function nodeSnippet(token: string, host: string): string {
  return `// npm install posthog-node
import { PostHog } from 'posthog-node'

const client = new PostHog('${token}', { host: '${host}' })

client.capture({
  distinctId: 'user@example.com',
  event: 'order placed',
  properties: { amount: 42 },
})

await client.shutdown()`;
}

export function pythonSnippet(token: string, host: string): string {
  return `# pip install posthog
from posthog import Posthog

posthog = Posthog('${token}', host='${host}')

posthog.capture('order placed', distinct_id='user@example.com', properties={'amount': 42})
posthog.shutdown()`;
}

export function javaSnippet(token: string, host: string): string {
  return `// Maven: com.posthog:posthog-server
import com.posthog.server.PostHog;
import com.posthog.server.PostHogCaptureOptions;
import com.posthog.server.PostHogConfig;
import com.posthog.server.PostHogInterface;

PostHogInterface posthog = PostHog.Companion.with(
    PostHogConfig.Companion.builder("${token}").host("${host}").build());

posthog.capture("user@example.com", "order placed",
    PostHogCaptureOptions.Companion.builder().property("amount", 42).build());
posthog.close();`;
}

export const SNIPPETS = [
  { value: 'html', label: 'HTML snippet', make: htmlSnippet },
  { value: 'js', label: 'posthog-js', make: jsSnippet },
  { value: 'node', label: 'Node.js', make: nodeSnippet },
  { value: 'python', label: 'Python', make: pythonSnippet },
  { value: 'java', label: 'Java', make: javaSnippet },
] as const;
