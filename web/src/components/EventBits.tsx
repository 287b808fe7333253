import { Table, Text, ThemeIcon, TextInput } from '@mantine/core';
import { IconClick, IconDeviceMobile, IconEye, IconFingerprint, IconBolt, IconDoorExit, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { Json } from '../api';
import { eventKind } from '../features/person/timeline';
import { formatValue, propertyLabel } from '../lib/properties';
import { PropertyKey } from './PropertyKey';

const ICONS = {
  pageview: { icon: IconEye, color: 'blue', label: 'Pageview' },
  pageleave: { icon: IconDoorExit, color: 'gray', label: 'Pageleave' },
  autocapture: { icon: IconClick, color: 'orange', label: 'Autocapture' },
  identify: { icon: IconFingerprint, color: 'grape', label: 'Identify' },
  screen: { icon: IconDeviceMobile, color: 'cyan', label: 'Screen' },
  custom: { icon: IconBolt, color: 'teal', label: 'Custom event' },
} as const;

export function EventIcon({ name }: { name: string }) {
  const kind = ICONS[eventKind(name)];
  return (
    <ThemeIcon size={22} radius="sm" variant="light" color={kind.color} aria-label={kind.label} title={kind.label}>
      <kind.icon size={14} stroke={1.8} />
    </ThemeIcon>
  );
}

/** Every property of an event, sorted with custom ones first, filterable. */
export function PropertiesTable({ properties, testId = 'properties-table' }: { properties: Record<string, Json>; testId?: string }) {
  const [filter, setFilter] = useState('');
  const entries = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return Object.entries(properties)
      .filter(([k, v]) => !q || k.toLowerCase().includes(q) || (propertyLabel(k) ?? '').toLowerCase().includes(q) || formatValue(v).toLowerCase().includes(q))
      .sort(([a], [b]) => Number(a.startsWith('$')) - Number(b.startsWith('$')) || a.localeCompare(b));
  }, [properties, filter]);
  const many = Object.keys(properties).length > 8;
  return (
    <div data-testid={testId}>
      {many && (
        <TextInput
          size="xs"
          mb={6}
          maw={260}
          placeholder="Filter properties"
          aria-label="Filter properties"
          leftSection={<IconSearch size={12} />}
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
        />
      )}
      <Table fz="xs" verticalSpacing={3} withRowBorders={false} striped>
        <Table.Tbody>
          {entries.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Td w="38%" style={{ verticalAlign: 'top' }}>
                <PropertyKey name={k} size="xs" />
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-all' }}>
                <Text size="xs" ff={typeof v === 'object' && v !== null ? 'monospace' : undefined}>
                  {formatValue(v)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
          {entries.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={2}>
                <Text size="xs" c="dimmed">
                  No properties{filter ? ' match' : ''}.
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </div>
  );
}
