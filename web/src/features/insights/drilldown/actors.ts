// The persons of an ActorsQuery answer as the persons table shows them, and as CSV.
import type { Json, Person } from '../../../api';
import { formatValue, personDisplayName } from '../../../lib/properties';

export interface ActorPerson {
  id: string;
  uuid?: string;
  distinct_ids?: string[];
  properties?: Record<string, Json>;
  is_identified?: boolean;
  created_at?: string | null;
}

/** `results` of an ActorsQuery are rows `[person, id]`. */
export function actorsToPersons(results: unknown): Person[] {
  if (!Array.isArray(results)) return [];
  return results.flatMap((row) => {
    const actor = (Array.isArray(row) ? row[0] : row) as ActorPerson | null;
    if (!actor || typeof actor !== 'object') return [];
    return [
      {
        id: actor.id,
        uuid: actor.uuid ?? actor.id,
        name: '',
        distinct_ids: actor.distinct_ids ?? [],
        properties: actor.properties ?? {},
        created_at: actor.created_at ?? '',
        is_identified: !!actor.is_identified,
      },
    ];
  });
}

function csvField(value: string): string {
  // quote what would break the row, and keep spreadsheet formulas from running
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One row per person: id, name, distinct ids, created, then every property seen (sorted). */
export function personsCsv(persons: Person[]): string {
  const keys = [...new Set(persons.flatMap((p) => Object.keys(p.properties)))].sort();
  const header = ['person_id', 'name', 'distinct_ids', 'created_at', ...keys];
  const lines = [header.map(csvField).join(',')];
  for (const p of persons) {
    lines.push(
      [p.uuid, personDisplayName(p), p.distinct_ids.join(' '), p.created_at ?? '', ...keys.map((k) => (p.properties[k] === undefined ? '' : formatValue(p.properties[k])))]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

/** Hands a text to the browser as a file download. */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // the browser may still be reading the file on a busy machine: let it go later
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
