// The cohort editor's definition: PostHog's two-level tree (groups joined by AND/OR, each a list
// of criteria joined by AND/OR), kept as the JSON the server takes. Pure functions, tested beside.
import type { BehavioralType, CohortCriterion, CohortFilters, CohortGroup, TimeInterval } from '../../api/cohorts';

export type CriterionKind = 'person' | 'behavioral' | 'cohort';

/** The behavioural choices the editor offers, in words; "did not perform" is performed_event negated. */
export const BEHAVIOURS: { value: string; label: string }[] = [
  { value: 'performed_event', label: 'Performed event' },
  { value: 'performed_event_multiple', label: 'Performed event N times' },
  { value: 'not_performed_event', label: 'Did not perform event' },
  { value: 'performed_event_first_time', label: 'Performed event for the first time' },
  { value: 'stopped_performing_event', label: 'Stopped performing event' },
  { value: 'restarted_performing_event', label: 'Restarted performing event' },
  { value: 'performed_event_regularly', label: 'Performed event regularly' },
];

export const INTERVALS: { value: TimeInterval; label: string }[] = [
  { value: 'day', label: 'days' },
  { value: 'week', label: 'weeks' },
  { value: 'month', label: 'months' },
  { value: 'year', label: 'years' },
];

export function newCriterion(kind: CriterionKind = 'behavioral'): CohortCriterion {
  switch (kind) {
    case 'person':
      return { type: 'person', key: '', operator: 'exact', value: '' };
    case 'cohort':
      return { type: 'cohort', key: 'id', value: 0 };
    default:
      return { type: 'behavioral', key: '$pageview', event_type: 'events', value: 'performed_event', time_value: 30, time_interval: 'day' };
  }
}

export function newGroup(): CohortGroup {
  return { type: 'AND', values: [newCriterion()] };
}

export function emptyDefinition(): CohortGroup {
  return { type: 'OR', values: [newGroup()] };
}

/** The editor's choice for a behavioural criterion ("did not perform" is a negated performed_event). */
export function behaviourChoice(c: Extract<CohortCriterion, { type: 'behavioral' }>): string {
  return c.value === 'performed_event' && c.negation ? 'not_performed_event' : c.value;
}

/** A behavioural criterion switched to another choice, with the fields that choice needs. */
export function withBehaviour(c: Extract<CohortCriterion, { type: 'behavioral' }>, choice: string): CohortCriterion {
  const keep = { type: 'behavioral' as const, key: c.key, event_type: 'events' as const, time_value: c.time_value, time_interval: c.time_interval };
  switch (choice) {
    case 'not_performed_event':
      return { ...keep, value: 'performed_event', negation: true };
    case 'performed_event_multiple':
      return { ...keep, value: 'performed_event_multiple', operator: c.operator ?? 'gte', operator_value: c.operator_value ?? 3 };
    case 'stopped_performing_event':
    case 'restarted_performing_event':
      return { ...keep, value: choice, seq_time_value: c.seq_time_value ?? 7, seq_time_interval: c.seq_time_interval ?? 'day' };
    case 'performed_event_regularly':
      return { ...keep, value: 'performed_event_regularly', time_value: 1, time_interval: 'week', min_periods: c.min_periods ?? 3, total_periods: c.total_periods ?? 4 };
    default:
      return { ...keep, value: choice as BehavioralType };
  }
}

/** Whether a criterion is filled in enough to be sent. */
export function complete(c: CohortCriterion): boolean {
  switch (c.type) {
    case 'person':
      return c.key.trim() !== '' && (c.operator === 'is_set' || c.operator === 'is_not_set' || (c.value !== '' && c.value !== undefined && c.value !== null));
    case 'cohort':
      return c.value > 0;
    default:
      return c.key.trim() !== '' && c.time_value > 0;
  }
}

function isGroup(v: CohortGroup | CohortCriterion): v is CohortGroup {
  return v.type === 'AND' || v.type === 'OR';
}

/** The definition without unfinished criteria or empty groups; null when nothing is left. */
export function cleaned(def: CohortGroup): CohortFilters | null {
  const prune = (g: CohortGroup): CohortGroup | null => {
    const values = g.values.flatMap((v): (CohortGroup | CohortCriterion)[] => {
      if (isGroup(v)) {
        const p = prune(v);
        return p ? [p] : [];
      }
      return complete(v) ? [v] : [];
    });
    return values.length ? { ...g, values } : null;
  };
  const top = prune(def);
  return top ? { properties: top } : null;
}

/** A stored definition as the editor's two levels: criteria at the top are put in a group of their own. */
export function fromFilters(filters: CohortFilters | null | undefined): CohortGroup {
  const top = filters?.properties;
  if (!top || !Array.isArray(top.values) || !top.values.length) return emptyDefinition();
  const groups: CohortGroup[] = top.values.map((v) =>
    isGroup(v) ? { ...v, values: v.values.filter((x) => !isGroup(x)) } : { type: 'AND' as const, values: [v] },
  );
  return { type: top.type === 'AND' ? 'AND' : 'OR', values: groups };
}

const UNIT: Record<TimeInterval, string> = { hour: 'hour', day: 'day', week: 'week', month: 'month', year: 'year' };
const span = (n: number, unit: TimeInterval) => `${n} ${UNIT[unit]}${n === 1 ? '' : 's'}`;

/** A criterion in words, for lists and summaries. */
export function describe(c: CohortCriterion, cohortName: (id: number) => string = (id) => `cohort #${id}`): string {
  switch (c.type) {
    case 'person':
      return `${c.negation ? 'not: ' : ''}${c.key} ${c.operator.replace(/_/g, ' ')}${c.value !== undefined && c.value !== '' ? ` ${JSON.stringify(c.value)}` : ''}`;
    case 'cohort':
      return `${c.negation ? 'not in' : 'in'} ${cohortName(c.value)}`;
    default: {
      const window = `in the last ${span(c.time_value, c.time_interval)}`;
      switch (behaviourChoice(c)) {
        case 'not_performed_event':
          return `did not perform ${c.key} ${window}`;
        case 'performed_event_multiple': {
          const op = c.operator === 'lte' ? 'at most' : c.operator === 'exact' ? 'exactly' : 'at least';
          return `performed ${c.key} ${op} ${c.operator_value ?? 0} times ${window}`;
        }
        case 'performed_event_first_time':
          return `performed ${c.key} for the first time ${window}`;
        case 'stopped_performing_event':
          return `performed ${c.key} ${window} but not in the last ${span(c.seq_time_value ?? 0, c.seq_time_interval ?? 'day')}`;
        case 'restarted_performing_event':
          return `performed ${c.key} again in the last ${span(c.seq_time_value ?? 0, c.seq_time_interval ?? 'day')} after a gap since ${span(c.time_value, c.time_interval)} ago`;
        case 'performed_event_regularly':
          return `performed ${c.key} in ${c.min_periods ?? 0} of the last ${c.total_periods ?? 0} periods of ${span(c.time_value, c.time_interval)}`;
        default:
          return `performed ${c.key} ${window}`;
      }
    }
  }
}
