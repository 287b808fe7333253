import { Button, Divider, Group, Popover, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconCalendar, IconCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { DATE_PRESETS, dateRangeLabel, isAbsoluteDate, presetOf, todayIn, type DateRangeValue } from '../lib/dateRange';
import classes from './DateRangePicker.module.css';

/** The one date range picker: presets, and a custom range of two dates. */
export function DateRangePicker({
  value,
  onChange,
  timeZone,
  fallbackLabel,
  testId = 'date-range',
}: {
  value: DateRangeValue | null | undefined;
  onChange: (range: DateRangeValue) => void;
  timeZone?: string;
  /** What an empty range means here (a dashboard's "the insight's own range"). */
  fallbackLabel?: string;
  testId?: string;
}) {
  const [opened, setOpened] = useState(false);
  const current = presetOf(value);
  const [from, setFrom] = useState(isAbsoluteDate(value?.date_from) ? value!.date_from! : '');
  const [to, setTo] = useState(isAbsoluteDate(value?.date_to) ? value!.date_to! : '');
  const custom = from && (!to || from <= to);

  const open = () => {
    setFrom(isAbsoluteDate(value?.date_from) ? value!.date_from! : '');
    setTo(isAbsoluteDate(value?.date_to) ? value!.date_to! : todayIn(timeZone));
    setOpened((o) => !o);
  };

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-start" shadow="md" withinPortal trapFocus>
      <Popover.Target>
        <Button variant="default" size="xs" leftSection={<IconCalendar size={14} />} onClick={open} data-testid={testId}>
          {dateRangeLabel(value, fallbackLabel)}
        </Button>
      </Popover.Target>
      <Popover.Dropdown p={6}>
        <Group align="flex-start" gap="xs" wrap="nowrap">
          <Stack gap={0} w={150} role="listbox" aria-label="Date range presets">
            {DATE_PRESETS.map((p) => (
              <UnstyledButton
                key={p.key}
                className={classes.option}
                data-active={current?.key === p.key || undefined}
                role="option"
                aria-selected={current?.key === p.key}
                onClick={() => {
                  onChange({ date_from: p.value.date_from ?? null, date_to: p.value.date_to ?? null });
                  setOpened(false);
                }}
                data-testid={`date-preset-${p.key}`}
              >
                <span>{p.label}</span>
                {current?.key === p.key && <IconCheck size={14} />}
              </UnstyledButton>
            ))}
          </Stack>
          <Divider orientation="vertical" />
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (!custom) return;
              onChange({ date_from: from, date_to: to || null });
              setOpened(false);
            }}
          >
            <Stack gap="xs" w={170} p={4}>
              <Text size="xs" fw={600} c="dimmed">
                Custom range
              </Text>
              <TextInput type="date" label="From" size="xs" value={from} onChange={(e) => setFrom(e.currentTarget.value)} data-testid="date-custom-from" />
              <TextInput type="date" label="To" size="xs" value={to} onChange={(e) => setTo(e.currentTarget.value)} data-testid="date-custom-to"
                error={from && to && from > to ? 'Ends before it starts' : undefined} />
              <Button type="submit" size="xs" disabled={!custom} data-testid="date-custom-apply">
                Apply
              </Button>
            </Stack>
          </form>
        </Group>
      </Popover.Dropdown>
    </Popover>
  );
}
