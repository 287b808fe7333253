import { ActionIcon, Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Tooltip, VisuallyHidden } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconPencil, IconPlus, IconSearch, IconTrash, IconX } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { Json, Person, PropertySource } from '../../api';
import { ErrorAlert, errorWords } from '../../components/ErrorAlert';
import { PropertyKey } from '../../components/PropertyKey';
import { formatValue, parseValueInput, propertyLabel, valueKind, valueToInput } from '../../lib/properties';
import { usePropertyMutations } from './queries';

const SOURCES: Record<PropertySource | 'custom', { label: string; color: string; help: string }> = {
  initial: { label: 'First touch', color: 'cyan', help: 'Copied automatically from the first event that carried it; kept after' },
  latest: { label: 'Latest', color: 'blue', help: 'Copied automatically from the newest event; each new event updates it' },
  custom: { label: 'Custom', color: 'gray', help: 'Set by your code (identify, $set, $set_once) or here' },
};

/** The automatic copies say where they came from; any other key (not PostHog's own `$…`) is custom. */
function sourceOf(person: Person, key: string) {
  const source = person.property_sources?.[key];
  if (source && SOURCES[source]) return SOURCES[source];
  return key.startsWith('$') ? null : SOURCES.custom;
}

function SourceBadge({ person, name }: { person: Person; name: string }) {
  const source = sourceOf(person, name);
  if (!source) return null;
  return (
    <Tooltip label={source.help} withArrow multiline w={240}>
      <Badge size="xs" variant="light" color={source.color} tt="none" data-testid="property-source">
        {source.label}
      </Badge>
    </Tooltip>
  );
}

export function PropertiesTab({ projectId, person }: { projectId: string | number; person: Person }) {
  const { update, remove } = usePropertyMutations(projectId, person.uuid);
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  // A phone gets one property per block (key and badges, then the value) instead of a wide table.
  const phone = useMediaQuery('(max-width: 36em)', false, { getInitialValueInEffect: false });
  const entries = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return Object.entries(person.properties)
      .filter(([k, v]) => !q || k.toLowerCase().includes(q) || (propertyLabel(k) ?? '').toLowerCase().includes(q) || formatValue(v).toLowerCase().includes(q))
      .sort(([a], [b]) => Number(a.startsWith('$')) - Number(b.startsWith('$')) || a.localeCompare(b));
  }, [person.properties, filter]);

  const confirmDelete = (key: string) =>
    modals.openConfirmModal({
      title: `Delete “${key}”?`,
      children: (
        <Text size="sm">
          The property is removed from this person. Events already stored keep their copy; a later event with <code>$set</code> may add it
          again.
        </Text>
      ),
      labels: { confirm: 'Delete property', cancel: 'Cancel' },
      confirmProps: { color: 'red', 'data-testid': 'confirm-delete-property' } as never,
      onConfirm: () =>
        remove.mutate(key, {
          onSuccess: () => notifications.show({ message: `Deleted ${key}`, color: 'teal' }),
          onError: (e) => notifications.show({ title: 'Could not delete the property', message: errorWords(e), color: 'red' }),
        }),
    });

  const valueCell = (key: string, value: Json) =>
    editing === key ? (
      <InlineEdit
        initial={value}
        saving={update.isPending}
        onCancel={() => setEditing(null)}
        onSave={(v) => update.mutate({ key, value: v }, { onSuccess: () => setEditing(null) })}
      />
    ) : (
      <Text size="sm" ff={typeof value === 'object' && value !== null ? 'monospace' : undefined} style={{ wordBreak: 'break-word' }}>
        {formatValue(value)}
      </Text>
    );
  const actions = (key: string) => (
    <Group gap={2} wrap="nowrap" justify="flex-end">
      <Tooltip label="Edit value" withArrow>
        <ActionIcon size="sm" variant="subtle" color="gray" onClick={() => setEditing(key)} aria-label={`Edit ${key}`} data-testid="property-edit">
          <IconPencil size={14} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label="Delete property" withArrow>
        <ActionIcon size="sm" variant="subtle" color="red" onClick={() => confirmDelete(key)} aria-label={`Delete ${key}`} data-testid="property-delete">
          <IconTrash size={14} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
  const nothing = (
    <Text size="sm" c="dimmed" py="sm" ta="center">
      {filter ? 'No property matches the filter.' : 'This person has no properties yet. Add one above, or send $set with an event.'}
    </Text>
  );

  return (
    <Stack gap="sm" data-testid="person-properties">
      <Group justify="space-between" wrap="wrap">
        <TextInput
          size="xs"
          w={{ base: '100%', xs: 280 }}
          placeholder="Filter by key or value"
          aria-label="Filter properties"
          leftSection={<IconSearch size={14} />}
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
          data-testid="properties-filter"
        />
        <Text size="xs" c="dimmed">
          {entries.length} of {Object.keys(person.properties).length} properties
        </Text>
      </Group>
      <AddProperty projectId={projectId} person={person} />
      <ErrorAlert error={update.error} title="The property could not be saved" />
      {phone ? (
        <Paper withBorder radius="md">
          {entries.map(([key, value], i) => (
            <Stack
              key={key}
              gap={4}
              px="sm"
              py={8}
              style={i ? { borderTop: '1px solid var(--mantine-color-default-border)' } : undefined}
              data-testid="property-row"
              data-key={key}
            >
              <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
                <div style={{ minWidth: 0 }}>
                  <PropertyKey name={key} />
                </div>
                <Group gap={6} wrap="nowrap">
                  <SourceBadge person={person} name={key} />
                  {actions(key)}
                </Group>
              </Group>
              {valueCell(key, value)}
            </Stack>
          ))}
          {entries.length === 0 && nothing}
        </Paper>
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={560} type="native">
            <Table fz="sm" verticalSpacing={5} highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w="32%">Key</Table.Th>
                  <Table.Th>Value</Table.Th>
                  <Table.Th w={90}>Type</Table.Th>
                  <Table.Th w={110}>Source</Table.Th>
                  <Table.Th w={72}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.map(([key, value]) => (
                  <Table.Tr key={key} data-testid="property-row" data-key={key}>
                    <Table.Td style={{ verticalAlign: 'top' }}>
                      <PropertyKey name={key} />
                    </Table.Td>
                    <Table.Td style={{ wordBreak: 'break-word' }}>{valueCell(key, value)}</Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed">
                        {valueKind(value)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <SourceBadge person={person} name={key} />
                    </Table.Td>
                    <Table.Td>{actions(key)}</Table.Td>
                  </Table.Tr>
                ))}
                {entries.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={5}>{nothing}</Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </Stack>
  );
}

function InlineEdit({ initial, saving, onSave, onCancel }: { initial: Json; saving: boolean; onSave: (v: Json) => void; onCancel: () => void }) {
  const [text, setText] = useState(valueToInput(initial));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSave(parseValueInput(text));
      }}
    >
      <Group gap={4} wrap="nowrap">
        <TextInput
          size="xs"
          style={{ flex: 1 }}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Escape' && onCancel()}
          autoFocus
          aria-label="New value (JSON, or plain text)"
          data-testid="property-edit-input"
        />
        <ActionIcon type="submit" size="md" variant="light" color="teal" loading={saving} aria-label="Save value" data-testid="property-edit-save">
          <IconCheck size={14} />
        </ActionIcon>
        <ActionIcon size="md" variant="subtle" color="gray" onClick={onCancel} aria-label="Cancel editing">
          <IconX size={14} />
        </ActionIcon>
      </Group>
    </form>
  );
}

function AddProperty({ projectId, person }: { projectId: string | number; person: Person }) {
  const { update } = usePropertyMutations(projectId, person.uuid);
  const [open, setOpen] = useState(false);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const parsed = parseValueInput(value);
  if (!open) {
    return (
      <Group>
        <Button size="xs" variant="default" leftSection={<IconPlus size={14} />} onClick={() => setOpen(true)} data-testid="property-add">
          Add property
        </Button>
      </Group>
    );
  }
  return (
    <Paper withBorder radius="md" p="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!key.trim()) return;
          update.mutate(
            { key: key.trim(), value: parsed },
            {
              onSuccess: () => {
                notifications.show({ message: `Set ${key.trim()}`, color: 'teal' });
                setKey('');
                setValue('');
                setOpen(false);
              },
            },
          );
        }}
      >
        <Group align="flex-end" gap="xs" wrap="wrap">
          <TextInput size="xs" label="Key" value={key} onChange={(e) => setKey(e.currentTarget.value)} required autoFocus data-testid="property-add-key" />
          <TextInput
            size="xs"
            label="Value"
            description={`Stored as ${valueKind(parsed)} (JSON is parsed, anything else is text)`}
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            style={{ flex: 1, minWidth: 200 }}
            data-testid="property-add-value"
          />
          <Button size="xs" type="submit" loading={update.isPending} disabled={!key.trim()} data-testid="property-add-save">
            Add
          </Button>
          <Button size="xs" variant="default" onClick={() => setOpen(false)}>
            Cancel
          </Button>
        </Group>
        {update.error && (
          <Text size="xs" c="red" mt={6}>
            {errorWords(update.error)}
          </Text>
        )}
      </form>
    </Paper>
  );
}
