import { ActionIcon, Anchor, Badge, Button, Group, Menu, Modal, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconCopy, IconDots, IconLayoutDashboard, IconPin, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Dashboard } from '../../api/insights';
import { EmptyState } from '../../components/EmptyState';
import { SkeletonRows } from '../../components/SkeletonRows';
import { ErrorAlert, errorWords } from '../../components/ErrorAlert';
import { TimeText } from '../../components/TimeText';
import { useUrlParams } from '../../lib/urlState';
import { useCurrentProject } from '../shell/context';
import { newInsightHref } from '../insights/InsightsListPage';
import { useDashboardsList } from '../insights/queries';
import { useCreateDashboard, useDeleteDashboard } from './queries';
import tableClasses from '../../components/table.module.css';

/** Every dashboard of the project, pinned first; new, duplicate and delete. */
export default function DashboardsPage() {
  const { project } = useCurrentProject();
  const navigate = useNavigate();
  const [params, update] = useUrlParams();
  const list = useDashboardsList(project.id);
  const create = useCreateDashboard(project.id);
  const remove = useDeleteDashboard(project.id);
  const creating = params.get('new') === '1';
  const dashboards = list.data?.results ?? [];

  const duplicate = (d: Dashboard) =>
    create.mutate(
      { name: `${d.name} (copy)`, use_dashboard: d.id },
      {
        onSuccess: (made) => notifications.show({ message: `Made “${made.name}”`, color: 'teal' }),
        onError: (e) => notifications.show({ title: 'Not duplicated', message: errorWords(e), color: 'red' }),
      },
    );
  const confirmDelete = (d: Dashboard) =>
    modals.openConfirmModal({
      title: `Delete “${d.name}”?`,
      children: <Text size="sm">Its insights stay saved; only the dashboard goes.</Text>,
      labels: { confirm: 'Delete dashboard', cancel: 'Keep it' },
      confirmProps: { color: 'red' },
      onConfirm: () => remove.mutate(d.id, { onSuccess: () => notifications.show({ message: `Deleted “${d.name}”` }) }),
    });

  return (
    <Stack gap="md" data-testid="dashboards-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Dashboards</Title>
          <Text size="sm" c="dimmed">
            Saved insights side by side, with one date range and filters for all of them.
          </Text>
        </div>
        <Button leftSection={<IconPlus size={16} />} onClick={() => update({ new: '1' })} data-testid="new-dashboard">
          New dashboard
        </Button>
      </Group>
      {list.isError && <ErrorAlert error={list.error} onRetry={() => list.refetch()} />}
      {!list.isPending && !list.isError && dashboards.length === 0 ? (
        <EmptyState
          icon={<IconLayoutDashboard size={22} />}
          title="No dashboards yet"
          testId="dashboards-empty"
          actions={
            <Group>
              <Button onClick={() => update({ new: '1' })}>New dashboard</Button>
              <Button component={Link} to={newInsightHref(project.id)} variant="default">
                Build an insight first
              </Button>
            </Group>
          }
        >
          A dashboard gathers saved insights to read at a glance — sign-ups, the activation funnel, retention — and puts one date range
          and one set of filters over all of them.
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={640} type="native">
          <Table highlightOnHover verticalSpacing={8} className={tableClasses.table} data-testid="dashboards-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Tiles</Table.Th>
                <Table.Th>Tags</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th w={40} aria-label="Actions" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.isPending && <SkeletonRows count={3} columns={5} />}
              {dashboards.map((d) => {
                const href = `/project/${project.id}/dashboard/${d.id}`;
                return (
                  <Table.Tr key={d.id} className={tableClasses.clickable} onClick={() => navigate(href)} data-testid="dashboard-row" data-id={d.id}>
                    <Table.Td style={{ whiteSpace: 'normal' }}>
                      <Group gap={6} wrap="nowrap">
                        {d.pinned && <IconPin size={14} aria-label="Pinned" color="var(--mantine-color-dimmed)" />}
                        <div>
                          <Anchor component={Link} to={href} fw={600} size="sm" onClick={(e) => e.stopPropagation()}>
                            {d.name}
                          </Anchor>
                          {d.description && (
                            <Text size="xs" c="dimmed" lineClamp={1}>
                              {d.description}
                            </Text>
                          )}
                        </div>
                      </Group>
                    </Table.Td>
                    <Table.Td>{d.tile_count}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {d.tags.map((t) => (
                          <Badge key={t} size="sm" variant="light" color="gray">
                            {t}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <TimeText value={d.created_at} size="sm" />
                    </Table.Td>
                    <Table.Td onClick={(e) => e.stopPropagation()}>
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <ActionIcon variant="subtle" color="gray" aria-label={`More for ${d.name}`}>
                            <IconDots size={16} />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Item leftSection={<IconCopy size={14} />} onClick={() => duplicate(d)}>
                            Duplicate
                          </Menu.Item>
                          <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => confirmDelete(d)}>
                            Delete
                          </Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {creating && (
        <NewDashboardModal
          saving={create.isPending}
          error={create.error}
          onClose={() => {
            create.reset();
            update({ new: null }, { replace: true });
          }}
          onSave={(fields) =>
            create.mutate(fields, {
              onSuccess: (d) => navigate(`/project/${project.id}/dashboard/${d.id}`, { replace: true }),
            })
          }
        />
      )}
    </Stack>
  );
}

function NewDashboardModal({
  saving,
  error,
  onClose,
  onSave,
}: {
  saving: boolean;
  error: unknown;
  onClose: () => void;
  onSave: (f: { name: string; description: string }) => void;
}) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  return (
    <Modal opened onClose={onClose} title="New dashboard" data-testid="new-dashboard-modal">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) onSave({ name: name.trim(), description: description.trim() });
        }}
      >
        <Stack gap="sm">
          <TextInput label="Name" required placeholder="Weekly product review" value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus data-testid="dashboard-new-name" />
          <Textarea label="Description" autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          {!!error && <ErrorAlert error={error} title="Not created" />}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving} disabled={!name.trim()} data-testid="dashboard-new-save">
              Create dashboard
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
