import { ActionIcon, Anchor, Center, Group, Menu, Paper, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { IconChartBar, IconDots, IconExternalLink, IconPencil, IconRefresh, IconTable, IconTrash } from '@tabler/icons-react';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { Dashboard, DashboardTile } from '../../api/insights';
import { ChartView, hasChart } from '../../components/charts/ChartView';
import { ErrorAlert } from '../../components/ErrorAlert';
import { relativeTime, absoluteTime } from '../../lib/time';
import { PersonsModal } from '../insights/drilldown/PersonsModal';
import type { DrillTarget } from '../insights/drilldown/source';
import { KindIcon } from '../insights/KindIcon';
import { decodeQuery } from '../insights/query/model';
import { toViz } from '../insights/results/transform';
import { applyDashboardFilters } from './model';
import { useTileResult } from './queries';
import classes from './dashboards.module.css';

const Markdown = lazy(() => import('./Markdown'));

/** Pixel height of a tile's body for a grid height `h` (row height and margin as the grid uses). */
export function bodyHeight(h: number, rowHeight: number, margin: number): number {
  return Math.max(80, h * rowHeight + (h - 1) * margin - 62);
}

export function InsightTile({
  projectId,
  dashboard,
  tile,
  height,
  onRemove,
}: {
  projectId: string | number;
  dashboard: Dashboard;
  tile: DashboardTile & { insight: NonNullable<DashboardTile['insight']> };
  height: number;
  onRemove: () => void;
}) {
  const insight = tile.insight;
  const result = useTileResult(projectId, dashboard, insight);
  const updating = result.isFetching || !!result.data?.refreshing;
  const [mode, setMode] = useState<'chart' | 'table'>('chart');
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const query = useMemo(() => decodeQuery(insight.query), [insight.query]);
  const viz = useMemo(
    () => (query && result.data ? toViz(query, result.data.response ?? { results: result.data.result }) : null),
    [query, result.data],
  );
  const href = `/project/${projectId}/insights/${insight.short_id}`;
  const lastRefresh = result.data?.last_refresh ?? result.data?.response?.last_refresh ?? null;

  return (
    <Paper withBorder radius="md" className={classes.tile} data-testid="dashboard-tile" data-insight={insight.short_id} data-loading={viz ? 'false' : 'true'} data-updating={updating ? 'true' : 'false'}>
      <div className={`${classes.tileHeader} tile-drag`}>
        <KindIcon kind={insight.query.kind} size={24} />
        <div style={{ minWidth: 0, flex: 1 }}>
          <Anchor component={Link} to={href} fw={600} size="sm" c="var(--mantine-color-text)" lineClamp={1} className="no-drag" data-testid="tile-title">
            {insight.name || 'Untitled'}
          </Anchor>
          <Text size="xs" c="dimmed" lineClamp={1}>
            {result.isFetching && !result.data ? 'Calculating…' : lastRefresh ? (
              <Tooltip label={absoluteTime(lastRefresh)} withArrow>
                <span>{updating ? `Updating… (computed ${relativeTime(lastRefresh)})` : `Computed ${relativeTime(lastRefresh)}`}</span>
              </Tooltip>
            ) : insight.description}
          </Text>
        </div>
        <Group gap={2} className="no-drag" wrap="nowrap">
          {viz && hasChart(viz.chart) && (
            <Tooltip label={mode === 'chart' ? 'Show the numbers' : 'Show the chart'} withArrow>
              <ActionIcon variant="subtle" color="gray" onClick={() => setMode(mode === 'chart' ? 'table' : 'chart')} aria-label={mode === 'chart' ? 'Show as table' : 'Show as chart'} data-testid="tile-view">
                {mode === 'chart' ? <IconTable size={16} /> : <IconChartBar size={16} />}
              </ActionIcon>
            </Tooltip>
          )}
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray" aria-label={`More for ${insight.name}`} data-testid="tile-menu">
                <IconDots size={16} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item component={Link} to={href} leftSection={<IconExternalLink size={14} />}>
                Open insight
              </Menu.Item>
              <Menu.Item leftSection={<IconRefresh size={14} />} onClick={result.refresh}>
                Refresh
              </Menu.Item>
              <Menu.Divider />
              <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={onRemove} data-testid="tile-remove">
                Remove from dashboard
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </div>
      <div className={`${classes.tileBody} no-drag`} data-testid="tile-body">
        {result.isError ? (
          <ErrorAlert error={result.error} onRetry={result.refresh} />
        ) : !viz ? (
          <Stack gap={8} pt={4} aria-busy="true" data-testid="tile-skeleton">
            <Skeleton height={height - 24} radius="sm" />
          </Stack>
        ) : (
          <div style={{ opacity: updating ? 0.75 : 1, transition: 'opacity 150ms' }}>
            <ChartView viz={viz} mode={mode} onModeChange={setMode} height={height} compact showToggle={false} onDrill={(t) => setDrill(t)} />
          </div>
        )}
      </div>
      {drill && query && (
        <PersonsModal projectId={projectId} query={applyDashboardFilters(query, dashboard.filters)} target={drill} onClose={() => setDrill(null)} />
      )}
    </Paper>
  );
}

export function TextTile({ body, onEdit, onRemove }: { body: string; onEdit: () => void; onRemove: () => void }) {
  return (
    <Paper withBorder radius="md" className={classes.tile} data-testid="text-tile">
      <div className={`${classes.tileHeader} tile-drag`} style={{ minHeight: 32, paddingTop: 4, paddingBottom: 0 }}>
        <div style={{ flex: 1 }} />
        <Group gap={2} className="no-drag">
          <ActionIcon variant="subtle" color="gray" size="sm" onClick={onEdit} aria-label="Edit text" data-testid="text-tile-edit">
            <IconPencil size={14} />
          </ActionIcon>
          <ActionIcon variant="subtle" color="gray" size="sm" onClick={onRemove} aria-label="Remove text" data-testid="text-tile-remove">
            <IconTrash size={14} />
          </ActionIcon>
        </Group>
      </div>
      <div className={`${classes.tileBodyScroll} no-drag`}>
        <Suspense fallback={<Skeleton height={60} />}>
          <Markdown text={body} />
        </Suspense>
      </div>
    </Paper>
  );
}

export function EmptyTile() {
  return (
    <Center h="100%">
      <Text size="sm" c="dimmed">
        This tile’s insight was deleted.
      </Text>
    </Center>
  );
}
