import { Badge, Button, Group, Progress, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { BillingLimitState } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useUpdateLimits } from './queries';
import { formatCount, limitWords, parseLimit } from './usage';

const STATE_COLOR = { none: 'gray', ok: 'teal', warning: 'yellow', reached: 'red' } as const;
const KIND_LABEL = { identified: 'Identified events', anonymous: 'Anonymous events' } as const;

/** This month's limits with how much of each is used; administrators edit them here. */
/** `month`: the month whose use is shown; the limits themselves hold for every month. */
export function LimitsEditor({ projectId, limits, canEdit, month }: { projectId: number; limits: BillingLimitState[]; canEdit: boolean; month: string }) {
  const save = useUpdateLimits(projectId);
  const [text, setText] = useState<Record<string, string>>({});
  useEffect(() => {
    setText(Object.fromEntries(limits.map((l) => [l.kind, l.limit === null ? '' : formatCount(l.limit)])));
  }, [limits]);
  const parsed = Object.fromEntries(limits.map((l) => [l.kind, parseLimit(text[l.kind] ?? '')]));
  const invalid = Object.values(parsed).some((v) => v === 'invalid');
  const changed = limits.some((l) => parsed[l.kind] !== l.limit);

  return (
    <Stack gap="sm">
      <Table data-testid="usage-limits" verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Monthly limit</Table.Th>
            <Table.Th ta="right">Used in {month}</Table.Th>
            <Table.Th w="35%">State</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {limits.map((l) => (
            <Table.Tr key={l.kind} data-testid={`usage-limit-${l.kind}`}>
              <Table.Td>{KIND_LABEL[l.kind]}</Table.Td>
              <Table.Td>
                {canEdit ? (
                  <TextInput
                    size="xs"
                    maw={180}
                    placeholder="No limit"
                    aria-label={`${KIND_LABEL[l.kind]} limit`}
                    value={text[l.kind] ?? ''}
                    error={parsed[l.kind] === 'invalid' ? 'A whole number of events' : undefined}
                    onChange={(e) => {
                      const value = e.currentTarget.value;
                      setText((t) => ({ ...t, [l.kind]: value }));
                    }}
                    data-testid={`usage-limit-input-${l.kind}`}
                  />
                ) : (
                  <Text size="sm">{l.limit === null ? 'No limit' : formatCount(l.limit)}</Text>
                )}
              </Table.Td>
              <Table.Td ta="right">{formatCount(l.used)}</Table.Td>
              <Table.Td>
                <Stack gap={4}>
                  <Group gap="xs">
                    <Badge color={STATE_COLOR[l.state]} variant="light" data-testid={`usage-limit-state-${l.kind}`}>
                      {l.state === 'none' ? 'no limit' : l.state}
                    </Badge>
                    <Text size="xs" c="dimmed">
                      {limitWords(l)}
                    </Text>
                  </Group>
                  {l.limit !== null && (
                    <Progress value={l.limit > 0 ? Math.min(100, (100 * l.used) / l.limit) : 100} color={STATE_COLOR[l.state]} size="sm" />
                  )}
                </Stack>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ErrorAlert error={save.error} title="The limits could not be saved" />
      {canEdit ? (
        <Group>
          <Button
            size="sm"
            disabled={!changed || invalid}
            loading={save.isPending}
            data-testid="usage-limits-save"
            onClick={() =>
              save.mutate(
                Object.fromEntries(limits.map((l) => [l.kind, parsed[l.kind] as number | null])),
                { onSuccess: () => notifications.show({ message: 'Limits saved', color: 'teal' }) },
              )
            }
          >
            Save limits
          </Button>
          <Text size="xs" c="dimmed">
            Empty: no limit. Past a limit, further events of that kind are dropped until the month ends (UTC); others are kept.
          </Text>
        </Group>
      ) : (
        <Text size="xs" c="dimmed">
          Only an administrator of the organization can change the limits.
        </Text>
      )}
    </Stack>
  );
}
