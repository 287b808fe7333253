// Which operators make sense for which property type, and how a filter reads as words.
import type { DefinitionType, Json, Operator, PropertyFilter } from '../../api';

export const OPERATOR_LABELS: Record<Operator, string> = {
  exact: 'equals',
  is_not: "doesn't equal",
  icontains: 'contains',
  not_icontains: "doesn't contain",
  regex: 'matches regex',
  not_regex: "doesn't match regex",
  gt: 'greater than',
  gte: 'at least',
  lt: 'less than',
  lte: 'at most',
  is_set: 'is set',
  is_not_set: 'is not set',
  is_date_before: 'before',
  is_date_after: 'after',
  between: 'between',
  not_between: 'not between',
  in: 'in',
  not_in: 'not in',
};

const SET: Operator[] = ['is_set', 'is_not_set'];

/** The operators offered for a property of this type (unknown types get the string list). */
export function operatorsFor(type: DefinitionType | null | undefined): Operator[] {
  switch (type) {
    case 'Numeric':
      return ['exact', 'is_not', 'gt', 'gte', 'lt', 'lte', 'between', 'not_between', ...SET];
    case 'Boolean':
      return ['exact', 'is_not', ...SET];
    case 'DateTime':
      return ['is_date_after', 'is_date_before', 'exact', 'is_not', ...SET];
    default:
      return ['exact', 'is_not', 'icontains', 'not_icontains', 'regex', 'not_regex', ...SET];
  }
}

/** What shape of value an operator wants. */
export type ValueShape = 'none' | 'list' | 'single' | 'number' | 'range' | 'date';

export function valueShape(operator: Operator, type?: DefinitionType | null): ValueShape {
  if (operator === 'is_set' || operator === 'is_not_set') return 'none';
  if (operator === 'between' || operator === 'not_between') return 'range';
  if (operator === 'is_date_before' || operator === 'is_date_after') return 'date';
  if (operator === 'gt' || operator === 'gte' || operator === 'lt' || operator === 'lte') return 'number';
  if (operator === 'exact' || operator === 'is_not') return type === 'DateTime' ? 'single' : 'list';
  return 'single';
}

/** Value text typed into a list picker, kept as numbers/booleans where the property is one. */
export function coerceValue(text: string, type: DefinitionType | null | undefined): Json {
  if (type === 'Numeric') {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) ? n : text;
  }
  if (type === 'Boolean') {
    if (text === 'true') return true;
    if (text === 'false') return false;
  }
  return text;
}

/** Builds the filter the server takes, or null while the value is still missing. */
export function buildFilter(
  key: string,
  type: PropertyFilter['type'],
  operator: Operator,
  value: Json | undefined,
  definitionType?: DefinitionType | null,
): PropertyFilter | null {
  if (!key) return null;
  const shape = valueShape(operator, definitionType);
  if (shape === 'none') return { key, operator, type };
  if (value === undefined || value === null || value === '') return null;
  if (shape === 'list') {
    const list = (Array.isArray(value) ? value : [value]).filter((v) => v !== '' && v !== null);
    if (!list.length) return null;
    return { key, operator, type, value: list.map((v) => (typeof v === 'string' ? coerceValue(v, definitionType) : v)) };
  }
  if (shape === 'range') {
    if (!Array.isArray(value) || value.length !== 2 || value.some((v) => v === '' || v === null)) return null;
    return { key, operator, type, value: value.map((v) => (typeof v === 'string' ? coerceValue(v, 'Numeric') : v)) };
  }
  if (shape === 'number') {
    const n = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(n) ? { key, operator, type, value: n } : null;
  }
  return { key, operator, type, value };
}

function valueWords(value: Json | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' or ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** "email contains @acme", "$browser equals Chrome or Firefox", "plan is set". */
export function filterLabel(filter: PropertyFilter, keyLabel: string = filter.key): string {
  const op = OPERATOR_LABELS[filter.operator] ?? filter.operator;
  if (filter.operator === 'is_set' || filter.operator === 'is_not_set') return `${keyLabel} ${op}`;
  if ((filter.operator === 'between' || filter.operator === 'not_between') && Array.isArray(filter.value)) {
    return `${keyLabel} ${op} ${valueWords(filter.value[0])} and ${valueWords(filter.value[1])}`;
  }
  return `${keyLabel} ${op} ${valueWords(filter.value)}`;
}
