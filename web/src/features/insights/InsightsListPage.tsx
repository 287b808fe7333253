import { ActionIcon, Anchor, Badge, Button, CloseButton, Group, Menu, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconChevronDown, IconPlus, IconSearch, IconStar, IconStarFilled } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { SkeletonRows } from '../../components/SkeletonRows';
import { ErrorAlert } from '../../components/ErrorAlert';
import { TimeText } from '../../components/TimeText';
import { useUrlParams } from '../../lib/urlState';
import { useCurrentProject } from '../shell/context';
import { KindIcon, KIND_ICONS } from './KindIcon';
import { defaultQuery, encodeQuery } from './query/model';
import { INSIGHT_KINDS, KIND_LABELS, KIND_WORDS, isInsightKind, type InsightKind } from './query/types';
import { useInsightsList, useSaveInsight } from './queries';
import tableClasses from '../../components/table.module.css';
import classes from './insights.module.css';

export const newInsightHref = (projectId: number | string, kind: InsightKind = 'TrendsQuery') =>
  `/project/${projectId}/insights/new?q=${encodeURIComponent(encodeQuery(defaultQuery(kind)))}`;

function NewInsightMenu() {
  const { project } = useCurrentProject();
  return (
    <Button.Group>
      <Button component={Link} to={newInsightHref(project.id)} leftSection={<IconPlus size={16} />} data-testid="new-insight">
        New insight
      </Button>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button px={8} aria-label="New insight of a kind">
            <IconChevronDown size={16} />
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {INSIGHT_KINDS.map((k) => {
            const I = KIND_ICONS[k];
            return (
              <Menu.Item key={k} component={Link} to={newInsightHref(project.id, k)} leftSection={<I size={16} />}>
                {KIND_LABELS[k]}
              </Menu.Item>
            );
          })}
        </Menu.Dropdown>
      </Menu>
    </Button.Group>
  );
}

/** Saved insights: search, favourites, the kind of each, who changed it last and when. */
export default function InsightsListPage() {
  const { project } = useCurrentProject();
  const navigate = useNavigate();
  const [params, update] = useUrlParams();
  const search = params.get('search') ?? '';
  const favorited = params.get('favorited') === 'true';
  const [typed, setTyped] = useState(search);
  const pushSearch = useDebouncedCallback((v: string) => update({ search: v.trim() || null }, { replace: true }), 300);
  useEffect(() => setTyped(search), [search]);
  const list = useInsightsList(project.id, search, favorited);
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.results) ?? [], [list.data]);
  const count = list.data?.pages[0]?.count ?? 0;
  const save = useSaveInsight(project.id);
  const narrowed = search !== '' || favorited;

  return (
    <Stack gap="md" data-testid="insights-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Insights</Title>
          <Text size="sm" c="dimmed">
            Saved questions about {project.name}: trends, funnels, retention, paths, stickiness and lifecycle.
          </Text>
        </div>
        <NewInsightMenu />
      </Group>

      {!list.isPending && !list.isError && rows.length === 0 && !narrowed ? (
        <EmptyState
          icon={<IconStar size={22} />}
          title="No saved insights yet"
          testId="insights-empty"
          actions={
            <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="xs" w="100%" maw={720}>
              {INSIGHT_KINDS.map((k) => (
                <UnstyledButton key={k} component={Link} to={newInsightHref(project.id, k)} className={tableClasses.clickable} data-testid={`start-${k}`}>
                  <Group gap="sm" wrap="nowrap" p="xs" style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 8 }}>
                    <KindIcon kind={k} size={32} />
                    <div style={{ minWidth: 0 }}>
                      <Text size="sm" fw={600}>
                        {KIND_LABELS[k]}
                      </Text>
                      <Text size="xs" c="dimmed" truncate>
                        {KIND_WORDS[k]}
                      </Text>
                    </div>
                  </Group>
                </UnstyledButton>
              ))}
            </SimpleGrid>
          }
        >
          An insight is a question asked of your events: how many did it, which step of a funnel people leave at, whether they come back.
          Build one by pointing, save it, and put it on a dashboard to see it every morning.
        </EmptyState>
      ) : (
        <>
          <Group gap="sm">
            <TextInput
              placeholder="Search by name, description or tag"
              aria-label="Search insights"
              leftSection={<IconSearch size={16} />}
              value={typed}
              onChange={(e) => {
                setTyped(e.currentTarget.value);
                pushSearch(e.currentTarget.value);
              }}
              rightSection={typed ? <CloseButton size="sm" aria-label="Clear search" onClick={() => { setTyped(''); update({ search: null }); }} /> : null}
              w={{ base: '100%', xs: 340 }}
              size="sm"
              data-testid="insights-search"
            />
            <SegmentedControl
              size="sm"
              value={favorited ? 'favorites' : 'all'}
              onChange={(v) => update({ favorited: v === 'favorites' ? 'true' : null })}
              data={[
                { value: 'all', label: 'All' },
                { value: 'favorites', label: 'Favourites' },
              ]}
              data-testid="insights-filter"
            />
          </Group>
          {list.isError && <ErrorAlert error={list.error} onRetry={() => list.refetch()} />}
          <Table.ScrollContainer minWidth={720} type="native">
            <Table highlightOnHover verticalSpacing={8} className={tableClasses.table} data-testid="insights-table" data-fetching={list.isFetching ? 'true' : 'false'}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={36} aria-label="Favourite" />
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Tags</Table.Th>
                  <Table.Th>Last modified</Table.Th>
                  <Table.Th>By</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.isPending && <SkeletonRows count={6} columns={5} />}
                {rows.map((insight) => {
                  const href = `/project/${project.id}/insights/${insight.short_id}`;
                  const kind = isInsightKind(insight.query.kind) ? insight.query.kind : 'TrendsQuery';
                  return (
                    <Table.Tr key={insight.id} className={tableClasses.clickable} onClick={() => navigate(href)} data-testid="insight-row" data-short-id={insight.short_id}>
                      <Table.Td onClick={(e) => e.stopPropagation()}>
                        <ActionIcon
                          variant="subtle"
                          color={insight.favorited ? 'yellow' : 'gray'}
                          onClick={() => save.mutate({ id: insight.id, fields: { favorited: !insight.favorited } })}
                          aria-label={insight.favorited ? `Remove ${insight.name} from favourites` : `Add ${insight.name} to favourites`}
                          aria-pressed={insight.favorited}
                          className={classes.star}
                        >
                          {insight.favorited ? <IconStarFilled size={16} color="var(--mantine-color-yellow-5)" /> : <IconStar size={16} />}
                        </ActionIcon>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'normal' }}>
                        <Group gap="sm" wrap="nowrap">
                          <KindIcon kind={kind} />
                          <div style={{ minWidth: 0 }}>
                            <Anchor component={Link} to={href} fw={600} size="sm" onClick={(e) => e.stopPropagation()}>
                              {insight.name || 'Untitled'}
                            </Anchor>
                            <Text size="xs" c="dimmed" lineClamp={1}>
                              {KIND_LABELS[kind]}
                              {insight.description ? ` · ${insight.description}` : ''}
                            </Text>
                          </div>
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {insight.tags.map((t) => (
                            <Badge key={t} size="sm" variant="light" color="gray">
                              {t}
                            </Badge>
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <TimeText value={insight.last_modified_at} size="sm" />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c={insight.last_modified_by ? undefined : 'dimmed'}>
                          {insight.last_modified_by?.first_name || insight.last_modified_by?.email || 'Sightline'}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
                {!list.isPending && rows.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={5}>
                      <Text size="sm" c="dimmed" ta="center" py="lg" data-testid="insights-no-match">
                        {favorited && !search ? 'No favourites yet: the star on an insight puts it here.' : `Nothing matches “${search}”.`}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              {list.isPending ? ' ' : `${rows.length} of ${count}`}
            </Text>
            {list.hasNextPage && (
              <Button size="xs" variant="light" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
                Load more
              </Button>
            )}
          </Group>
        </>
      )}
    </Stack>
  );
}
