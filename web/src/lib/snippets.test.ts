import { describe, expect, it } from 'vitest';
import { SNIPPETS, htmlSnippet } from './snippets';

describe('snippets', () => {
  it('loads array.js from this server and inits with the token', () => {
    const html = htmlSnippet('phc_abc', 'https://stats.example.org');
    expect(html).toContain("script.src = config.api_host + '/static/array.js'");
    expect(html).toContain("posthog.init('phc_abc'");
    expect(html).toContain("api_host: 'https://stats.example.org'");
    expect(html).toContain("person_profiles: 'identified_only'");
    expect(html.startsWith('<script>')).toBe(true);
    expect(html.trimEnd().endsWith('</script>')).toBe(true);
  });
  it('puts token and host in every SDK', () => {
    for (const s of SNIPPETS) {
      const code = s.make('phc_tok', 'http://localhost:8000');
      expect(code, s.label).toContain('phc_tok');
      expect(code, s.label).toContain('http://localhost:8000');
    }
  });
});
