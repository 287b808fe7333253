// The pickers the builder is made of: events (from event_definitions), properties (from
// property_definitions, numeric ones for property maths) and maths.
import { Group, Select, Text, type SelectProps } from '@mantine/core';
import { useMemo } from 'react';
import type { PropertyType } from '../../../api';
import { SESSION_PROPERTIES } from '../../../components/filters/PropertyFilterEditor';
import { propertyLabel } from '../../../lib/properties';
import { useEventDefinitions, usePropertyDefinitions } from '../../../lib/queries';
import { MATH_OPTIONS } from '../query/model';
import type { BreakdownType, MathType } from '../query/types';

const ALL_EVENTS = '__all__';
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

/** An event name, or all events where `allowAll`. Names not seen lately still show as chosen. */
export function EventSelect({
  projectId,
  value,
  onChange,
  allowAll,
  ...props
}: {
  projectId: string | number;
  value: string | null;
  onChange: (event: string | null) => void;
  allowAll?: boolean;
} & Omit<SelectProps, 'value' | 'onChange' | 'data'>) {
  const defs = useEventDefinitions(projectId);
  const volumes = useMemo(() => new Map((defs.data?.results ?? []).map((d) => [d.name, d.volume_30_day])), [defs.data]);
  const data = useMemo(() => {
    const names = (defs.data?.results ?? []).map((d) => d.name);
    if (value && !names.includes(value)) names.unshift(value);
    return [...(allowAll ? [{ value: ALL_EVENTS, label: 'All events' }] : []), ...names.map((n) => ({ value: n, label: n }))];
  }, [defs.data, value, allowAll]);
  return (
    <Select
      size="xs"
      searchable
      value={value === null ? (allowAll ? ALL_EVENTS : null) : value}
      onChange={(v) => v !== null && onChange(v === ALL_EVENTS ? null : v)}
      data={data}
      limit={200}
      maxDropdownHeight={320}
      allowDeselect={false}
      nothingFoundMessage={defs.isPending ? 'Loading events…' : 'No event of that name has arrived'}
      placeholder="Choose an event"
      comboboxProps={{ width: 300, position: 'bottom-start' }}
      renderOption={({ option }) => (
        <Group justify="space-between" wrap="nowrap" w="100%" gap="xs">
          <Text size="xs" truncate>
            {option.label}
          </Text>
          {volumes.get(option.value) ? (
            <Text size="xs" c="dimmed">
              {compact.format(volumes.get(option.value)!)}
            </Text>
          ) : null}
        </Group>
      )}
      {...props}
    />
  );
}

/** A property key of a scope; `numeric` keeps only properties seen as numbers. */
export function PropertySelect({
  projectId,
  scope,
  value,
  onChange,
  numeric,
  ...props
}: {
  projectId: string | number;
  scope: BreakdownType | PropertyType;
  value: string | null | undefined;
  onChange: (key: string | null) => void;
  numeric?: boolean;
} & Omit<SelectProps, 'value' | 'onChange' | 'data'>) {
  const defs = usePropertyDefinitions(projectId, scope === 'person' ? 'person' : 'event');
  const data = useMemo(() => {
    let names = (defs.data?.results ?? []).filter((d) => !numeric || d.is_numerical || d.property_type === 'Numeric').map((d) => d.name);
    if (scope === 'session') names = [...SESSION_PROPERTIES, ...names.filter((n) => !SESSION_PROPERTIES.includes(n))];
    if (value && !names.includes(value)) names.unshift(value);
    return names.map((n) => ({ value: n, label: propertyLabel(n) ? `${propertyLabel(n)} (${n})` : n }));
  }, [defs.data, numeric, scope, value]);
  return (
    <Select
      size="xs"
      searchable
      clearable
      value={value ?? null}
      onChange={onChange}
      data={data}
      limit={200}
      maxDropdownHeight={320}
      nothingFoundMessage={defs.isPending ? 'Loading properties…' : numeric ? 'No numeric property of that name' : 'No property of that name'}
      placeholder={numeric ? 'Numeric property' : 'Property'}
      comboboxProps={{ width: 300, position: 'bottom-start' }}
      {...props}
    />
  );
}

export function MathSelect({ value, onChange, ...props }: { value: MathType | undefined; onChange: (m: MathType) => void } & Omit<SelectProps, 'value' | 'onChange' | 'data'>) {
  const data = useMemo(() => {
    const groups = new Map<string, { value: string; label: string }[]>();
    for (const m of MATH_OPTIONS) {
      if (!groups.has(m.group)) groups.set(m.group, []);
      groups.get(m.group)!.push({ value: m.value, label: m.label });
    }
    return [...groups.entries()].map(([group, items]) => ({ group, items }));
  }, []);
  return (
    <Select
      size="xs"
      value={value ?? 'total'}
      onChange={(v) => v && onChange(v as MathType)}
      data={data}
      allowDeselect={false}
      maxDropdownHeight={360}
      comboboxProps={{ width: 260, position: 'bottom-start' }}
      aria-label="How to count"
      {...props}
    />
  );
}
