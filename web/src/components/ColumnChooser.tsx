import { ActionIcon, Autocomplete, Button, Group, Popover, Stack, Text, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconColumns, IconX } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { propertyLabel } from '../lib/properties';

export interface ColumnChooserProps {
  columns: string[];
  onChange: (columns: string[]) => void;
  /** Built-in columns: id → label. Anything else is a property key. */
  builtins: Record<string, string>;
  defaults: string[];
  /** Property keys to suggest, given what was typed. */
  useSuggestions: (search: string) => string[];
  /** Prefix for property columns that are not plain keys (e.g. "person." on the events page). */
  describe?: (column: string) => string;
}

export function columnLabel(column: string, builtins: Record<string, string>): string {
  return builtins[column] ?? propertyLabel(column) ?? column;
}

/** Choose, order and remove a table's columns; the page keeps them in the URL. */
export function ColumnChooser({ columns, onChange, builtins, defaults, useSuggestions, describe }: ColumnChooserProps) {
  const [opened, setOpened] = useState(false);
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 200);
  const suggestions = useSuggestions(debounced);
  const options = useMemo(() => {
    const builtinOptions = Object.keys(builtins).filter((b) => !columns.includes(b));
    const props = suggestions.filter((s) => !columns.includes(s) && !(s in builtins));
    return Array.from(new Set([...builtinOptions, ...props])).slice(0, 150);
  }, [builtins, suggestions, columns]);

  const move = (i: number, by: number) => {
    const next = [...columns];
    const [c] = next.splice(i, 1);
    next.splice(i + by, 0, c);
    onChange(next);
  };
  const add = (column: string) => {
    const c = column.trim();
    if (c && !columns.includes(c)) onChange([...columns, c]);
    setSearch('');
  };

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" shadow="md" trapFocus withinPortal>
      <Popover.Target>
        <Button size="xs" variant="default" leftSection={<IconColumns size={14} />} onClick={() => setOpened((o) => !o)} data-testid="columns-button">
          Columns
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap={4} w={300} data-testid="columns-chooser">
          <Text size="xs" fw={600} c="dimmed" tt="uppercase">
            Shown columns
          </Text>
          {columns.map((c, i) => (
            <Group key={c} gap={4} wrap="nowrap" justify="space-between" data-testid="column-item">
              <Text size="sm" truncate title={c}>
                {describe ? describe(c) : columnLabel(c, builtins)}
              </Text>
              <Group gap={2} wrap="nowrap">
                <Tooltip label="Move up" withArrow>
                  <ActionIcon size="sm" variant="subtle" color="gray" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move ${c} up`}>
                    <IconArrowUp size={14} />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label="Move down" withArrow>
                  <ActionIcon
                    size="sm"
                    variant="subtle"
                    color="gray"
                    disabled={i === columns.length - 1}
                    onClick={() => move(i, 1)}
                    aria-label={`Move ${c} down`}
                  >
                    <IconArrowDown size={14} />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label="Remove column" withArrow>
                  <ActionIcon
                    size="sm"
                    variant="subtle"
                    color="gray"
                    disabled={columns.length === 1}
                    onClick={() => onChange(columns.filter((x) => x !== c))}
                    aria-label={`Remove column ${c}`}
                  >
                    <IconX size={14} />
                  </ActionIcon>
                </Tooltip>
              </Group>
            </Group>
          ))}
          <Autocomplete
            mt="xs"
            size="xs"
            label="Add a column"
            placeholder="Search properties"
            value={search}
            onChange={setSearch}
            data={options}
            renderOption={({ option }) => {
              const label = describe ? describe(option.value) : columnLabel(option.value, builtins);
              return (
                <div>
                  <Text size="xs">{label}</Text>
                  {label !== option.value && !(option.value in builtins) && (
                    <Text size="xs" c="dimmed" ff="monospace">
                      {option.value}
                    </Text>
                  )}
                </div>
              );
            }}
            onOptionSubmit={add}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && search.trim() && !options.includes(search.trim())) {
                e.preventDefault();
                add(search);
              }
            }}
            comboboxProps={{ withinPortal: false }}
            maxDropdownHeight={220}
            data-testid="column-add"
          />
          <Group justify="space-between" mt="xs">
            <Button size="compact-xs" variant="subtle" color="gray" onClick={() => onChange(defaults)}>
              Reset to default
            </Button>
            <Button size="compact-xs" variant="light" onClick={() => setOpened(false)}>
              Done
            </Button>
          </Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
