import { ActionIcon, Anchor, Badge, Button, Group, Menu, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconDots, IconFileUpload, IconPlus, IconSearch, IconTrash, IconUsersGroup } from '@tabler/icons-react';
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Cohort } from '../../api/cohorts';
import { EmptyState } from '../../components/EmptyState';
import { SkeletonRows } from '../../components/SkeletonRows';
import { ErrorAlert, errorWords } from '../../components/ErrorAlert';
import { TimeText } from '../../components/TimeText';
import { formatNumber } from '../../components/charts/format';
import { useUrlParams } from '../../lib/urlState';
import { useCurrentProject } from '../shell/context';
import { useCohortMutations, useCohorts } from './queries';
import tableClasses from '../../components/table.module.css';

const TYPE_LABEL: Record<Cohort['cohort_type'], string> = { static: 'Static', person_property: 'Person properties', behavioral: 'Behavioural' };
const TYPE_COLOR: Record<Cohort['cohort_type'], string> = { static: 'gray', person_property: 'grape', behavioral: 'blue' };

export function CohortStatus({ cohort }: { cohort: Cohort }) {
  if (cohort.is_calculating) return <Badge size="sm" variant="light" color="yellow">Calculating</Badge>;
  if (cohort.errors_calculating > 0) {
    return (
      <Tooltip label={cohort.last_error ?? 'The last calculation failed'} multiline w={280} withArrow>
        <Badge size="sm" variant="light" color="red" leftSection={<IconAlertTriangle size={12} />}>
          Error
        </Badge>
      </Tooltip>
    );
  }
  if (!cohort.is_static && !cohort.last_calculation) return <Badge size="sm" variant="light" color="gray">Not computed</Badge>;
  return <Badge size="sm" variant="light" color="teal">Ready</Badge>;
}

/** Every cohort of the project: name, type, members, last computed, status. */
export default function CohortsPage() {
  const { project } = useCurrentProject();
  const navigate = useNavigate();
  const [params, update] = useUrlParams();
  const search = params.get('search') ?? '';
  const list = useCohorts(project.id);
  const { remove } = useCohortMutations(project.id);
  const cohorts = useMemo(
    () => (list.data?.results ?? []).filter((c) => !search || c.name.toLowerCase().includes(search.toLowerCase())),
    [list.data, search],
  );
  const all = list.data?.results ?? [];
  const href = (c: Cohort | 'new', extra = '') => `/project/${project.id}/cohorts/${c === 'new' ? 'new' : c.id}${extra}`;

  const confirmDelete = (c: Cohort) =>
    modals.openConfirmModal({
      title: `Delete “${c.name}”?`,
      children: <Text size="sm">Insights filtered by it will stop working. Persons and events are not touched.</Text>,
      labels: { confirm: 'Delete cohort', cancel: 'Keep it' },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        remove.mutate(c.id, {
          onSuccess: () => notifications.show({ message: `Deleted “${c.name}”` }),
          onError: (e) => notifications.show({ title: 'Not deleted', message: errorWords(e), color: 'red' }),
        }),
    });

  return (
    <Stack gap="md" data-testid="cohorts-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Cohorts</Title>
          <Text size="sm" c="dimmed">
            Groups of persons by who they are and what they did, to filter and break down any insight.
          </Text>
        </div>
        <Group gap="xs">
          <Button variant="default" leftSection={<IconFileUpload size={16} />} component={Link} to={href('new', '?type=static')} data-testid="new-static-cohort">
            Upload CSV
          </Button>
          <Button leftSection={<IconPlus size={16} />} component={Link} to={href('new')} data-testid="new-cohort">
            New cohort
          </Button>
        </Group>
      </Group>
      {list.isError && <ErrorAlert error={list.error} onRetry={() => list.refetch()} />}
      {!list.isPending && !list.isError && all.length === 0 ? (
        <EmptyState
          icon={<IconUsersGroup size={22} />}
          title="No cohorts yet"
          testId="cohorts-empty"
          actions={
            <Group>
              <Button component={Link} to={href('new')}>New cohort</Button>
              <Button component={Link} to={href('new', '?type=static')} variant="default">
                Upload a CSV
              </Button>
            </Group>
          }
        >
          A cohort is a group of persons: “pro users who viewed pricing 3 times this month”, or a list you upload. Use it to filter any
          insight, to break trends down, and to compare retention side by side. You can also save the persons behind a point of any chart
          as a cohort.
        </EmptyState>
      ) : (
        <>
          <TextInput
            placeholder="Search cohorts"
            aria-label="Search cohorts"
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => update({ search: e.currentTarget.value || null }, { replace: true })}
            w={{ base: '100%', xs: 320 }}
            size="sm"
          />
          <Table.ScrollContainer minWidth={720} type="native">
            <Table highlightOnHover verticalSpacing={8} className={tableClasses.table} data-testid="cohorts-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Type</Table.Th>
                  <Table.Th ta="right">Persons</Table.Th>
                  <Table.Th>Last computed</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th w={40} aria-label="Actions" />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.isPending && <SkeletonRows count={3} columns={6} />}
                {cohorts.map((c) => (
                  <Table.Tr key={c.id} className={tableClasses.clickable} onClick={() => navigate(href(c))} data-testid="cohort-row" data-id={c.id}>
                    <Table.Td style={{ whiteSpace: 'normal' }}>
                      <Anchor component={Link} to={href(c)} fw={600} size="sm" onClick={(e) => e.stopPropagation()}>
                        {c.name}
                      </Anchor>
                      {c.description && (
                        <Text size="xs" c="dimmed" lineClamp={1}>
                          {c.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge size="sm" variant="light" color={TYPE_COLOR[c.cohort_type]}>
                        {TYPE_LABEL[c.cohort_type]}
                      </Badge>
                    </Table.Td>
                    <Table.Td ta="right" ff="monospace" data-testid="cohort-count">
                      {c.count === null ? '—' : formatNumber(c.count)}
                    </Table.Td>
                    <Table.Td>
                      {c.last_calculation ? <TimeText value={c.last_calculation} size="sm" /> : <Text size="sm" c="dimmed">—</Text>}
                    </Table.Td>
                    <Table.Td>
                      <CohortStatus cohort={c} />
                    </Table.Td>
                    <Table.Td onClick={(e) => e.stopPropagation()}>
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <ActionIcon variant="subtle" color="gray" aria-label={`More for ${c.name}`}>
                            <IconDots size={16} />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => confirmDelete(c)}>
                            Delete
                          </Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
                    </Table.Td>
                  </Table.Tr>
                ))}
                {!list.isPending && cohorts.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      <Text size="sm" c="dimmed" ta="center" py="md">
                        No cohort is named like “{search}”.
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Stack>
  );
}
