// Copies posthog-js's browser bundles into dist/static/ so the server serves the snippet's
// /static/array.js (and the recorder, surveys, … it loads on demand) from its own origin.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(web, 'node_modules', 'posthog-js', 'dist');
const to = join(web, 'dist', 'static');
mkdirSync(to, { recursive: true });
const files = readdirSync(from).filter((name) => name.endsWith('.js') && !name.endsWith('.d.js'));
for (const name of files) copyFileSync(join(from, name), join(to, name));
if (!files.includes('array.js')) {
  console.error('copy-posthog: posthog-js has no dist/array.js');
  process.exit(1);
}
console.log(`copy-posthog: ${files.length} files into dist/static/`);
