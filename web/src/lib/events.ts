// How an event reads in a list: its name in words and the one detail that tells it apart.
import type { Json } from '../api';
import { formatValue } from './properties';

const NAMES: Record<string, string> = {
  $pageview: 'Pageview',
  $pageleave: 'Pageleave',
  $autocapture: 'Autocapture',
  $rageclick: 'Rageclick',
  $dead_click: 'Dead click',
  $identify: 'Identify',
  $create_alias: 'Alias',
  $merge_dangerously: 'Merge',
  $set: 'Set person properties',
  $screen: 'Screen',
  $groupidentify: 'Group identify',
  $exception: 'Exception',
  $web_vitals: 'Web vitals',
};

export function eventLabel(name: string): string {
  return NAMES[name] ?? name;
}

/** The URL, screen, clicked text, or the first few custom properties. */
export function eventSummary(name: string, properties: Record<string, Json> | undefined): string {
  const p = properties ?? {};
  const str = (v: Json | undefined) => (typeof v === 'string' && v ? v : null);
  if (name === '$autocapture' || name === '$rageclick') {
    const what = [str(p.$event_type), str(p.$el_text) ? `“${str(p.$el_text)}”` : null].filter(Boolean).join(' ');
    const where = str(p.$current_url);
    return [what, where].filter(Boolean).join(' on ');
  }
  if (name === '$identify' && str(p.$anon_distinct_id)) return `from anonymous ${str(p.$anon_distinct_id)}`;
  if (name === '$create_alias' && str(p.alias)) return `alias ${str(p.alias)}`;
  const place = str(p.$current_url) ?? str(p.$screen_name) ?? str(p.$pathname);
  if (place) return place;
  const custom = Object.entries(p)
    .filter(([k]) => !k.startsWith('$') && k !== 'token' && k !== 'distinct_id')
    .slice(0, 3)
    .map(([k, v]) => `${k}: ${formatValue(v)}`);
  return custom.join(' · ');
}
