import { Anchor, Badge, Button, Group, Menu, Modal, Paper, ScrollArea, Select, Stack, Text, Textarea, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconCopy, IconLayoutDashboard, IconPencil, IconPlus, IconRefresh, IconSearch, IconTextSize, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { Suspense, useState, type ComponentProps } from 'react';
import type DashboardGridModule from './DashboardGrid';
import { lazyPart } from '../../lazyPage';
import { Link, useNavigate, useParams } from 'react-router';
import type { Dashboard, DashboardFilters, DashboardTile } from '../../api/insights';
import { CannotOpen } from '../../components/CannotOpen';
import { EmptyState } from '../../components/EmptyState';
import { errorWords } from '../../components/ErrorAlert';
import { DateRangePicker } from '../../components/DateRangePicker';
import { PropertyFilterEditor } from '../../components/filters/PropertyFilterEditor';
import { PageSkeleton } from '../../components/PageSkeleton';
import { useCurrentProject } from '../shell/context';
import { KindIcon } from '../insights/KindIcon';
import { newInsightHref } from '../insights/InsightsListPage';
import { useInsightsList, useSaveInsight } from '../insights/queries';
import { MARGIN, ROW_HEIGHT } from './gridSize';
import { hasDashboardFilters, layoutChanges, newTextLayout, REFRESH_CHOICES } from './model';
import { dashboardKeys, useCreateDashboard, useDashboard, useDeleteDashboard, useUpdateDashboard } from './queries';
import { bodyHeight, EmptyTile, InsightTile, TextTile } from './Tiles';

// the grid (react-grid-layout) comes with the first dashboard that has tiles
const DashboardGrid = lazyPart<ComponentProps<typeof DashboardGridModule>>('dashboardGrid');

export default function DashboardPage() {
  const { project } = useCurrentProject();
  const { dashboardId } = useParams();
  const dashboard = useDashboard(project.id, dashboardId);
  if (dashboard.isPending) return <PageSkeleton />;
  if (dashboard.isError) {
    return (
      <CannotOpen what="dashboard" error={dashboard.error} onRetry={() => dashboard.refetch()}
        back={{ to: `/project/${project.id}/dashboards`, label: 'All dashboards' }} testId="dashboard-page" />
    );
  }
  return <DashboardView dashboard={dashboard.data} />;
}

function DashboardView({ dashboard }: { dashboard: Dashboard }) {
  const { project } = useCurrentProject();
  const navigate = useNavigate();
  const client = useQueryClient();
  const update = useUpdateDashboard(project.id, dashboard.id);
  const create = useCreateDashboard(project.id);
  const remove = useDeleteDashboard(project.id);
  const [textTile, setTextTile] = useState<{ id?: number; body: string } | null>(null);
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const tiles = dashboard.tiles ?? [];
  const filters = dashboard.filters ?? {};

  const patch = (fields: Parameters<typeof update.mutate>[0], words?: string) =>
    update.mutate(fields, {
      onSuccess: () => words && notifications.show({ message: words, color: 'teal' }),
      onError: (e) => notifications.show({ title: 'Not saved', message: errorWords(e), color: 'red' }),
    });
  const setFilters = (next: DashboardFilters) => patch({ filters: next });
  const refreshAll = () => void client.refetchQueries({ queryKey: ['dashboard-tile', String(project.id), dashboard.id] });

  const onLayout = (layout: Parameters<typeof layoutChanges>[1]) => {
    const changes = layoutChanges(tiles, layout);
    if (!changes.length) return;
    // the grid shows the new places at once; the server is told after
    client.setQueryData<Dashboard>(dashboardKeys.one(project.id, dashboard.id), (d) =>
      d && {
        ...d,
        tiles: (d.tiles ?? []).map((t) => {
          const c = changes.find((x) => 'id' in x && x.id === t.id);
          return c && 'id' in c && c.layouts ? { ...t, layouts: c.layouts } : t;
        }),
      },
    );
    patch({ tiles: changes });
  };

  const removeTile = (tile: DashboardTile) =>
    modals.openConfirmModal({
      title: tile.insight ? `Take “${tile.insight.name}” off this dashboard?` : 'Remove this text?',
      children: <Text size="sm">{tile.insight ? 'The insight itself stays saved.' : 'The text is gone for good.'}</Text>,
      labels: { confirm: 'Remove', cancel: 'Keep' },
      confirmProps: { color: 'red' },
      onConfirm: () => patch({ tiles: [{ id: tile.id, deleted: true }] }),
    });

  const duplicate = () =>
    create.mutate(
      { name: `${dashboard.name} (copy)`, use_dashboard: dashboard.id },
      {
        onSuccess: (d) => {
          notifications.show({ message: `Made “${d.name}”`, color: 'teal' });
          navigate(`/project/${project.id}/dashboard/${d.id}`);
        },
        onError: (e) => notifications.show({ title: 'Not duplicated', message: errorWords(e), color: 'red' }),
      },
    );
  const confirmDelete = () =>
    modals.openConfirmModal({
      title: `Delete “${dashboard.name}”?`,
      children: <Text size="sm">Its insights stay saved; only the dashboard goes.</Text>,
      labels: { confirm: 'Delete dashboard', cancel: 'Keep it' },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        remove.mutate(dashboard.id, {
          onSuccess: () => {
            notifications.show({ message: `Deleted “${dashboard.name}”` });
            navigate(`/project/${project.id}/dashboards`);
          },
        }),
    });

  return (
    <Stack gap="md" data-testid="dashboard-page" data-dashboard={dashboard.id}>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <div style={{ minWidth: 'min(100%, 300px)', flex: 1 }}>
          <Group gap={6}>
            <Anchor component={Link} to={`/project/${project.id}/dashboards`} size="sm" c="dimmed">
              Dashboards
            </Anchor>
            <Text size="sm" c="dimmed">
              /
            </Text>
          </Group>
          <Group gap="xs">
            <Title order={1} data-testid="dashboard-name">
              {dashboard.name}
            </Title>
            {dashboard.tags.map((t) => (
              <Badge key={t} variant="light" color="gray">
                {t}
              </Badge>
            ))}
          </Group>
          {dashboard.description && (
            <Text size="sm" c="dimmed">
              {dashboard.description}
            </Text>
          )}
        </div>
        <Group gap="xs">
          <Button variant="default" leftSection={<IconTextSize size={16} />} onClick={() => setTextTile({ body: '' })} data-testid="add-text">
            Add text
          </Button>
          <Button.Group>
            <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)} data-testid="add-insight">
              Add insight
            </Button>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button px={8} aria-label="More dashboard actions" data-testid="dashboard-more">
                  <IconChevronDown size={16} />
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => setRenaming(true)}>
                  Rename
                </Menu.Item>
                <Menu.Item leftSection={<IconCopy size={14} />} onClick={duplicate} data-testid="dashboard-duplicate">
                  Duplicate
                </Menu.Item>
                <Menu.Divider />
                <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={confirmDelete} data-testid="dashboard-delete">
                  Delete dashboard
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Button.Group>
        </Group>
      </Group>

      <Paper withBorder radius="md" p="xs" data-testid="dashboard-filters">
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Group gap="xs" wrap="wrap" style={{ flex: 1 }}>
            <DateRangePicker
              value={filters.date_from ? filters : null}
              onChange={(r) => setFilters({ ...filters, date_from: r.date_from ?? null, date_to: r.date_to ?? null })}
              timeZone={project.timezone}
              fallbackLabel="Each insight’s own dates"
              testId="dashboard-date-range"
            />
            <PropertyFilterEditor
              projectId={project.id}
              value={filters.properties ?? []}
              onChange={(properties) => setFilters({ ...filters, properties })}
              types={['event', 'person']}
              testId="dashboard-property-filters"
            />
            {hasDashboardFilters(filters) && (
              <Button size="xs" variant="subtle" color="gray" onClick={() => setFilters({})} data-testid="dashboard-filters-reset">
                Reset
              </Button>
            )}
          </Group>
          <Group gap="xs">
            <Select
              size="xs"
              w={170}
              aria-label="Refresh automatically"
              leftSection={<IconRefresh size={14} />}
              value={String(dashboard.refresh_interval ?? 0)}
              onChange={(v) => patch({ refresh_interval: v && v !== '0' ? Number(v) : null })}
              data={REFRESH_CHOICES.map((c) => ({ ...c, label: c.value === '0' ? 'Auto refresh off' : c.label }))}
              allowDeselect={false}
              data-testid="auto-refresh"
            />
            <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} onClick={refreshAll} data-testid="refresh-all">
              Refresh
            </Button>
          </Group>
        </Group>
      </Paper>

      {tiles.length === 0 ? (
        <EmptyState
          icon={<IconLayoutDashboard size={22} />}
          title="An empty dashboard"
          testId="dashboard-empty"
          actions={
            <Group>
              <Button onClick={() => setAdding(true)}>Add a saved insight</Button>
              <Button component={Link} to={newInsightHref(project.id)} variant="default">
                Build a new insight
              </Button>
            </Group>
          }
        >
          Put saved insights here to see them together, every tile with this dashboard’s dates and filters. Add text to explain what people are looking at.
        </EmptyState>
      ) : (
        <Suspense fallback={<PageSkeleton rows={4} />}>
          <DashboardGrid
            tiles={tiles}
            onLayout={onLayout}
            render={(tile, item) =>
              tile.insight ? (
                <InsightTile
                  projectId={project.id}
                  dashboard={dashboard}
                  tile={tile as DashboardTile & { insight: NonNullable<DashboardTile['insight']> }}
                  height={bodyHeight(item.h, ROW_HEIGHT, MARGIN)}
                  onRemove={() => removeTile(tile)}
                />
              ) : tile.text ? (
                <TextTile body={tile.text.body} onEdit={() => setTextTile({ id: tile.id, body: tile.text!.body })} onRemove={() => removeTile(tile)} />
              ) : (
                <EmptyTile />
              )
            }
          />
        </Suspense>
      )}

      {textTile && (
        <TextTileModal
          initial={textTile.body}
          editing={textTile.id !== undefined}
          saving={update.isPending}
          onClose={() => setTextTile(null)}
          onSave={(body) =>
            update.mutate(
              { tiles: [textTile.id !== undefined ? { id: textTile.id, text: { body } } : { text: { body }, layouts: { sm: newTextLayout(tiles, body) } }] },
              { onSuccess: () => setTextTile(null), onError: (e) => notifications.show({ title: 'Not saved', message: errorWords(e), color: 'red' }) },
            )
          }
        />
      )}
      {adding && <AddInsightModal dashboard={dashboard} onClose={() => setAdding(false)} />}
      {renaming && (
        <RenameModal
          dashboard={dashboard}
          saving={update.isPending}
          onClose={() => setRenaming(false)}
          onSave={(fields) => update.mutate(fields, { onSuccess: () => setRenaming(false) })}
        />
      )}
    </Stack>
  );
}

function TextTileModal({ initial, editing, saving, onClose, onSave }: { initial: string; editing: boolean; saving: boolean; onClose: () => void; onSave: (body: string) => void }) {
  const [body, setBody] = useState(initial);
  return (
    <Modal opened onClose={onClose} title={editing ? 'Edit text' : 'Add text'} size="lg" data-testid="text-modal">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (body.trim()) onSave(body);
        }}
      >
        <Stack gap="sm">
          <Textarea
            autosize
            minRows={6}
            maxRows={18}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            placeholder={'## What this dashboard shows\n\nMarkdown works: **bold**, _italics_, [links](https://example.com), lists.'}
            description="Markdown; any HTML in it is shown as text or left out"
            data-autofocus
            data-testid="text-body"
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving} disabled={!body.trim()} data-testid="text-save">
              {editing ? 'Save text' : 'Add text'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RenameModal({ dashboard, saving, onClose, onSave }: { dashboard: Dashboard; saving: boolean; onClose: () => void; onSave: (f: { name: string; description: string }) => void }) {
  const [name, setName] = useState(dashboard.name);
  const [description, setDescription] = useState(dashboard.description);
  return (
    <Modal opened onClose={onClose} title="Rename dashboard">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) onSave({ name: name.trim(), description: description.trim() });
        }}
      >
        <Stack gap="sm">
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
          <Textarea label="Description" autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving} disabled={!name.trim()}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Saved insights to put on the dashboard (PATCH the insight's dashboards). */
function AddInsightModal({ dashboard, onClose }: { dashboard: Dashboard; onClose: () => void }) {
  const { project } = useCurrentProject();
  const client = useQueryClient();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const list = useInsightsList(project.id, debounced, false);
  const save = useSaveInsight(project.id);
  const insights = list.data?.pages.flatMap((p) => p.results) ?? [];
  const onBoard = new Set((dashboard.tiles ?? []).flatMap((t) => (t.insight ? [t.insight.id] : [])));
  return (
    <Modal opened onClose={onClose} title="Add a saved insight" size="lg" data-testid="add-insight-modal">
      <Stack gap="sm">
        <TextInput leftSection={<IconSearch size={16} />} placeholder="Search insights" value={search} onChange={(e) => setSearch(e.currentTarget.value)} data-autofocus />
        <ScrollArea.Autosize mah={420}>
          <Stack gap={4}>
            {list.isPending && <Text size="sm" c="dimmed">Loading…</Text>}
            {!list.isPending && !insights.length && (
              <Text size="sm" c="dimmed">
                No saved insights{debounced ? ` match “${debounced}”` : ' yet'}.{' '}
                <Anchor component={Link} to={newInsightHref(project.id)} size="sm">
                  Build one
                </Anchor>
              </Text>
            )}
            {insights.map((insight) => {
              const added = onBoard.has(insight.id);
              return (
                <UnstyledButton
                  key={insight.id}
                  disabled={added || save.isPending}
                  onClick={() =>
                    save.mutate(
                      { id: insight.id, fields: { dashboards: [...insight.dashboards, dashboard.id] } },
                      {
                        onSuccess: () => {
                          void client.invalidateQueries({ queryKey: dashboardKeys.one(project.id, dashboard.id) });
                          notifications.show({ message: `Added “${insight.name}”`, color: 'teal' });
                          onClose();
                        },
                      },
                    )
                  }
                  style={{ borderRadius: 8, padding: 8, opacity: added ? 0.5 : 1 }}
                  data-testid="add-insight-option"
                >
                  <Group gap="sm" wrap="nowrap">
                    <KindIcon kind={insight.query.kind} />
                    <div style={{ minWidth: 0, flex: 1 }}>
                      <Text size="sm" fw={600} truncate>
                        {insight.name || 'Untitled'}
                      </Text>
                      <Text size="xs" c="dimmed" truncate>
                        {added ? 'Already on this dashboard' : insight.description || ' '}
                      </Text>
                    </div>
                  </Group>
                </UnstyledButton>
              );
            })}
          </Stack>
        </ScrollArea.Autosize>
      </Stack>
    </Modal>
  );
}
