import {
  ActionIcon,
  Autocomplete,
  Badge,
  Button,
  Group,
  NumberInput,
  Popover,
  SegmentedControl,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFilter, IconPlus, IconX } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { listCohorts } from '../../api/cohorts';
import type { DefinitionType, FilterType, Json, Operator, PropertyFilter, PropertyType } from '../../api';
import { formatValue, propertyLabel } from '../../lib/properties';
import { usePropertyDefinitions, usePropertyValues } from '../../lib/queries';
import { buildFilter, filterLabel, OPERATOR_LABELS, operatorsFor, valueShape } from './operators';
import classes from './filters.module.css';

const TYPE_LABEL: Record<FilterType, string> = { event: 'Event', person: 'Person', session: 'Session', cohort: 'Cohort' };
const TYPE_COLOR: Record<FilterType, string> = { event: 'blue', person: 'grape', session: 'teal', cohort: 'orange' };

/** The project's cohorts by id, for cohort filters (the same list the cohorts page reads). */
function useCohortChoices(projectId: string | number, enabled: boolean) {
  return useQuery({ queryKey: ['cohorts', String(projectId)], queryFn: () => listCohorts(projectId), enabled, staleTime: 10_000 });
}

function cohortLabel(filter: PropertyFilter, names: Map<number, string>): string {
  const name = names.get(Number(filter.value)) ?? `cohort #${String(filter.value)}`;
  return `${filter.operator === 'not_in' ? 'Not in' : 'In'} ${name}`;
}
/** Session properties are computed from the session's events (docs/queries.md); any event key works too. */
export const SESSION_PROPERTIES = ['$session_duration', '$entry_current_url', '$entry_pathname', '$entry_referring_domain', '$entry_utm_source',
  '$entry_utm_campaign', '$exit_current_url', '$exit_pathname', '$channel_type'];

interface EditorProps {
  projectId: string | number;
  value: PropertyFilter[];
  onChange: (filters: PropertyFilter[]) => void;
  /** Which kinds of properties can be filtered on here. */
  types?: FilterType[];
  addLabel?: string;
  testId?: string;
}

/** Chips for the filters in force, and a popover to add or change one. */
export function PropertyFilterEditor({ projectId, value, onChange, types = ['person'], addLabel = 'Add filter', testId = 'filters' }: EditorProps) {
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const cohorts = useCohortChoices(projectId, types.includes('cohort'));
  const cohortNames = useMemo(() => new Map((cohorts.data?.results ?? []).map((c) => [c.id, c.name])), [cohorts.data]);
  const close = () => setEditing(null);
  const save = (filter: PropertyFilter) => {
    if (editing === 'new') onChange([...value, filter]);
    else if (typeof editing === 'number') onChange(value.map((f, i) => (i === editing ? filter : f)));
    close();
  };

  return (
    <Group gap={6} data-testid={testId} wrap="wrap">
      {value.map((filter, i) => (
        <Popover key={i} opened={editing === i} onChange={(o) => !o && close()} position="bottom-start" shadow="md" trapFocus withinPortal>
          <Popover.Target>
            <div className={classes.chip} data-testid="filter-chip">
              {types.length > 1 && (
                <Badge size="xs" variant="light" color={TYPE_COLOR[filter.type]} radius="sm">
                  {TYPE_LABEL[filter.type]}
                </Badge>
              )}
              <UnstyledButton className={classes.chipLabel} onClick={() => setEditing(i)} aria-label={`Edit filter: ${filterLabel(filter)}`}>
                {filter.type === 'cohort' ? cohortLabel(filter, cohortNames) : filterLabel(filter, propertyLabel(filter.key) ?? filter.key)}
              </UnstyledButton>
              <Tooltip label="Remove filter" withArrow>
                <ActionIcon
                  size="xs"
                  variant="subtle"
                  color="gray"
                  aria-label={`Remove filter: ${filterLabel(filter)}`}
                  onClick={() => onChange(value.filter((_, j) => j !== i))}
                  data-testid="filter-remove"
                >
                  <IconX size={12} />
                </ActionIcon>
              </Tooltip>
            </div>
          </Popover.Target>
          <Popover.Dropdown>
            {editing === i && <FilterForm projectId={projectId} types={types} initial={filter} onSave={save} onCancel={close} />}
          </Popover.Dropdown>
        </Popover>
      ))}
      <Popover opened={editing === 'new'} onChange={(o) => !o && close()} position="bottom-start" shadow="md" trapFocus withinPortal>
        <Popover.Target>
          <Button
            size="xs"
            variant="default"
            leftSection={value.length ? <IconPlus size={14} /> : <IconFilter size={14} />}
            onClick={() => setEditing(editing === 'new' ? null : 'new')}
            data-testid="filter-add"
          >
            {addLabel}
          </Button>
        </Popover.Target>
        <Popover.Dropdown>
          {editing === 'new' && <FilterForm projectId={projectId} types={types} onSave={save} onCancel={close} />}
        </Popover.Dropdown>
      </Popover>
      {value.length > 1 && (
        <Button size="xs" variant="subtle" color="gray" onClick={() => onChange([])}>
          Clear all
        </Button>
      )}
    </Group>
  );
}

function initialValue(filter?: PropertyFilter): { list: string[]; single: string; range: [string, string] } {
  const v = filter?.value;
  const list = Array.isArray(v) ? v.map((x) => formatValue(x)) : v === undefined || v === null ? [] : [formatValue(v)];
  return {
    list,
    single: list[0] ?? '',
    range: Array.isArray(v) && v.length === 2 ? [formatValue(v[0]), formatValue(v[1])] : ['', ''],
  };
}

function FilterForm({
  projectId,
  types,
  initial,
  onSave,
  onCancel,
}: {
  projectId: string | number;
  types: FilterType[];
  initial?: PropertyFilter;
  onSave: (f: PropertyFilter) => void;
  onCancel: () => void;
}) {
  const [type, setType] = useState<FilterType>(initial?.type ?? types[0]);
  // session keys are looked up among event properties (a session property is its events' value)
  const scope: PropertyType = type === 'session' || type === 'cohort' ? 'event' : type;
  const cohorts = useCohortChoices(projectId, type === 'cohort');
  const [cohortId, setCohortId] = useState<string | null>(initial?.type === 'cohort' ? String(initial.value) : null);
  const [membership, setMembership] = useState<'in' | 'not_in'>(initial?.operator === 'not_in' ? 'not_in' : 'in');
  const [key, setKey] = useState(initial?.key ?? '');
  const [debouncedKey] = useDebouncedValue(key, 200);
  const definitions = usePropertyDefinitions(projectId, scope, debouncedKey);
  const definition = definitions.data?.results.find((d) => d.name === key);
  const defType: DefinitionType | null = type === 'session' && key === '$session_duration' ? 'Numeric' : definition?.property_type ?? null;
  const operators = operatorsFor(defType);
  const [operator, setOperator] = useState<Operator>(initial?.operator ?? 'exact');
  const effectiveOperator = operators.includes(operator) ? operator : operators[0];
  const shape = valueShape(effectiveOperator, defType);

  const start = initialValue(initial);
  const [list, setList] = useState<string[]>(start.list);
  const [listSearch, setListSearch] = useState('');
  const [single, setSingle] = useState(start.single);
  const [range, setRange] = useState<[string, string]>(start.range);
  const prefix = shape === 'list' ? listSearch : shape === 'single' ? single : '';
  const [debouncedPrefix] = useDebouncedValue(prefix, 200);
  const values = usePropertyValues(projectId, scope, type === 'session' && key === '$session_duration' ? '' : key, debouncedPrefix);

  const keyOptions = useMemo(() => {
    const names = (definitions.data?.results ?? []).map((d) => d.name);
    const session = type === 'session' ? SESSION_PROPERTIES.filter((k) => k.includes(debouncedKey)) : [];
    return Array.from(new Set([...session, ...names])).slice(0, 200);
  }, [definitions.data, type, debouncedKey]);
  const valueOptions = useMemo(() => {
    if (defType === 'Boolean') return ['true', 'false'];
    return Array.from(new Set((values.data ?? []).map((v) => formatValue(v.name as Json)).filter((v) => v !== ''))).slice(0, 50);
  }, [values.data, defType]);

  const candidate = (() => {
    if (type === 'cohort') return cohortId ? ({ key: 'id', type: 'cohort', operator: membership, value: Number(cohortId) } as PropertyFilter) : null;
    switch (shape) {
      case 'none':
        return buildFilter(key.trim(), type, effectiveOperator, undefined, defType);
      case 'list':
        return buildFilter(key.trim(), type, effectiveOperator, [...list, ...(listSearch.trim() ? [listSearch.trim()] : [])], defType);
      case 'range':
        return buildFilter(key.trim(), type, effectiveOperator, range, defType);
      default:
        return buildFilter(key.trim(), type, effectiveOperator, single, defType);
    }
  })();

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (candidate) onSave(candidate);
      }}
    >
      <Stack gap="xs" w={300} data-testid="filter-form">
        {types.length > 1 && (
          <SegmentedControl
            size="xs"
            value={type}
            onChange={(v) => {
              setType(v as FilterType);
              setKey('');
            }}
            data={types.map((t) => ({ value: t, label: types.length > 2 || t === 'cohort' ? TYPE_LABEL[t] : `${TYPE_LABEL[t]} property` }))}
            aria-label="Property type"
          />
        )}
        {type === 'cohort' ? (
          <>
            <SegmentedControl size="xs" value={membership} onChange={(v) => setMembership(v as 'in' | 'not_in')}
              data={[{ value: 'in', label: 'In cohort' }, { value: 'not_in', label: 'Not in cohort' }]} aria-label="In or not in" />
            <Select label="Cohort" size="xs" placeholder={cohorts.data?.results.length === 0 ? 'No cohorts yet' : 'Choose a cohort'} value={cohortId}
              onChange={setCohortId} data={(cohorts.data?.results ?? []).map((c) => ({ value: String(c.id), label: c.name }))} searchable
              comboboxProps={{ withinPortal: false }} data-testid="filter-cohort" />
          </>
        ) : (
        <>
        <Autocomplete
          label="Property"
          placeholder="Search properties"
          size="xs"
          value={key}
          onChange={setKey}
          data={keyOptions}
          limit={100}
          maxDropdownHeight={260}
          comboboxProps={{ withinPortal: false }}
          renderOption={({ option }) => {
            const label = propertyLabel(option.value);
            return (
              <div>
                <Text size="xs">{label ?? option.value}</Text>
                {label && (
                  <Text size="xs" c="dimmed" ff="monospace">
                    {option.value}
                  </Text>
                )}
              </div>
            );
          }}
          data-autofocus
          data-testid="filter-key"
        />
        <Select
          label="Operator"
          size="xs"
          value={effectiveOperator}
          onChange={(v) => v && setOperator(v as Operator)}
          data={operators.map((o) => ({ value: o, label: OPERATOR_LABELS[o] }))}
          allowDeselect={false}
          comboboxProps={{ withinPortal: false }}
          data-testid="filter-operator"
        />
        {shape === 'list' && (
          <TagsInput
            label="Values"
            description="Any of these: Enter adds a value, Enter again applies"
            size="xs"
            value={list}
            onChange={setList}
            searchValue={listSearch}
            onSearchChange={setListSearch}
            onKeyDown={(e) => {
              // A second Enter on an empty box applies the filter (the list may cover the button).
              if (e.key === 'Enter' && !listSearch.trim() && list.length && candidate) {
                e.preventDefault();
                onSave(candidate);
              }
            }}
            data={valueOptions}
            clearable
            comboboxProps={{ withinPortal: false }}
            data-testid="filter-value"
          />
        )}
        {shape === 'single' && (
          <Autocomplete
            label="Value"
            size="xs"
            value={single}
            onChange={setSingle}
            data={valueOptions}
            comboboxProps={{ withinPortal: false }}
            data-testid="filter-value"
          />
        )}
        {shape === 'number' && (
          <NumberInput label="Value" size="xs" value={single} onChange={(v) => setSingle(String(v))} data-testid="filter-value" />
        )}
        {shape === 'date' && (
          <TextInput label="Date" type="date" size="xs" value={single} onChange={(e) => setSingle(e.currentTarget.value)} data-testid="filter-value" />
        )}
        {shape === 'range' && (
          <Group grow gap="xs">
            <NumberInput label="From" size="xs" value={range[0]} onChange={(v) => setRange([String(v), range[1]])} />
            <NumberInput label="To" size="xs" value={range[1]} onChange={(v) => setRange([range[0], String(v)])} />
          </Group>
        )}
        </>
        )}
        <Group justify="flex-end" gap="xs" mt={4}>
          <Button size="xs" variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button size="xs" type="submit" disabled={!candidate} data-testid="filter-apply">
            {initial ? 'Update filter' : 'Add filter'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
