import { ActionIcon, Alert, Button, Group, Paper, Skeleton, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconKey, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { PersonalApiKey } from '../../api';
import { CopyField } from '../../components/CopyField';
import { ErrorAlert, errorWords } from '../../components/ErrorAlert';
import { TimeText } from '../../components/TimeText';
import { useApiKeys, useCreateApiKey, useDeleteApiKey } from './queries';
import { Section } from './Section';

export function ApiKeysSection() {
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const revoke = useDeleteApiKey();
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<PersonalApiKey | null>(null);

  const confirmRevoke = (key: PersonalApiKey) =>
    modals.openConfirmModal({
      title: `Revoke “${key.label}”?`,
      children: <Text size="sm">Anything using this key is refused from the moment you revoke it. This cannot be undone.</Text>,
      labels: { confirm: 'Revoke key', cancel: 'Cancel' },
      confirmProps: { color: 'red', 'data-testid': 'confirm-revoke' } as never,
      onConfirm: () =>
        revoke.mutate(key.id, {
          onSuccess: () => {
            notifications.show({ color: 'teal', message: `Revoked ${key.label}` });
            if (created?.id === key.id) setCreated(null);
          },
          onError: (e) => notifications.show({ color: 'red', title: 'The key was not revoked', message: errorWords(e) }),
        }),
    });

  return (
    <Section
      id="personal-api-keys"
      title="Personal API keys"
      description={
        <>
          For scripts and tools reading this server’s API: send <code>Authorization: Bearer phx_…</code>. A key acts as you, in your organization.
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!label.trim()) return;
          create.mutate(label.trim(), {
            onSuccess: (key) => {
              setCreated(key);
              setLabel('');
            },
          });
        }}
      >
        <Group align="flex-end" gap="xs" wrap="wrap">
          <TextInput
            label="Label"
            placeholder="e.g. Nightly export"
            value={label}
            onChange={(e) => setLabel(e.currentTarget.value)}
            w={{ base: '100%', xs: 280 }}
            data-testid="api-key-label"
          />
          <Button type="submit" leftSection={<IconKey size={16} />} loading={create.isPending} disabled={!label.trim()} data-testid="api-key-create">
            Create key
          </Button>
        </Group>
      </form>
      <ErrorAlert error={create.error} title="The key was not created" />
      {created?.value && (
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={16} />} title={`Copy “${created.label}” now`} data-testid="api-key-created">
          <Stack gap="xs">
            <Text size="sm">This is the only time the key is shown. Store it somewhere safe; if it is lost, create a new one.</Text>
            <CopyField value={created.value} label="Personal API key" testId="api-key-value" />
            <Group>
              <Button size="xs" variant="default" onClick={() => setCreated(null)}>
                I have copied it
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {keys.isPending ? (
        <Skeleton height={80} />
      ) : keys.isError ? (
        <ErrorAlert error={keys.error} onRetry={() => keys.refetch()} />
      ) : keys.data.results.length === 0 ? (
        <Text size="sm" c="dimmed">
          No keys yet.
        </Text>
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={560} type="native">
            <Table fz="sm" verticalSpacing={6} data-testid="api-keys">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Label</Table.Th>
                  <Table.Th>Key</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Last used</Table.Th>
                  <Table.Th w={48} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {keys.data.results.map((k) => (
                  <Table.Tr key={k.id} data-testid="api-key-row">
                    <Table.Td fw={500}>{k.label}</Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace">
                        {k.mask_value}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <TimeText value={k.created_at} size="sm" />
                    </Table.Td>
                    <Table.Td>{k.last_used_at ? <TimeText value={k.last_used_at} size="sm" /> : <Text size="sm" c="dimmed">Never</Text>}</Table.Td>
                    <Table.Td>
                      <Tooltip label="Revoke" withArrow>
                        <ActionIcon variant="subtle" color="red" onClick={() => confirmRevoke(k)} aria-label={`Revoke ${k.label}`} data-testid="api-key-revoke">
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </Section>
  );
}
