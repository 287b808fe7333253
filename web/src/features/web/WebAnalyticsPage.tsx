import { Anchor, Badge, Button, CloseButton, Group, Paper, SimpleGrid, Skeleton, Stack, Switch, Table, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { IconArrowDownRight, IconArrowUpRight, IconWorld } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { PropertyFilter } from '../../api';
import { ChartView } from '../../components/charts/ChartView';
import { bucketLabel, formatNumber } from '../../components/charts/format';
import type { Viz } from '../../components/charts/types';
import { DateRangePicker } from '../../components/DateRangePicker';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PropertyFilterEditor } from '../../components/filters/PropertyFilterEditor';
import { decodeFilters, encodeJson, useUrlParams } from '../../lib/urlState';
import { useCurrentProject } from '../shell/context';
import {
  CARDS,
  changeTone,
  chipWords,
  countryName,
  DIMENSIONS,
  drillFilter,
  goalsQuery,
  liveQuery,
  overviewQuery,
  readState,
  tableQuery,
  TILE_LABELS,
  trendQuery,
  valueWords,
  withFilter,
  type Dimension,
  type OverviewItem,
  type TableAnswer,
  type WebState,
} from './model';
import { useWebQuery } from './queries';
import classes from './web.module.css';

export default function WebAnalyticsPage() {
  const { project } = useCurrentProject();
  const [params, update] = useUrlParams();
  const state = useMemo(() => readState(params, decodeFilters), [params]);
  const setFilters = (f: PropertyFilter[]) => update({ filters: f.length ? encodeJson(f) : null });
  const drill = (dimension: Dimension, value: string | null) => setFilters(withFilter(state.filters, drillFilter(dimension, value)));
  const overview = useWebQuery<{ results: OverviewItem[] }>(project.id, overviewQuery(state));
  const empty =
    overview.data && state.filters.length === 0 && overview.data.results.every((i) => i.key === 'bounce rate' || !i.value);

  return (
    <Stack gap="md" data-testid="web-page">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <div>
          <Group gap="sm" align="center">
            <Title order={1}>Web analytics</Title>
            <LiveVisitors projectId={project.id} />
          </Group>
          <Text size="sm" c="dimmed">
            Visitors, pages, sources, devices and places, from page views — anonymous traffic included.
          </Text>
        </div>
        <Group gap="xs">
          <DateRangePicker
            value={state.range}
            timeZone={project.timezone}
            onChange={(r) => update({ date_from: r.date_from === '-7d' ? null : r.date_from, date_to: r.date_to })}
            testId="web-date-range"
          />
          <Switch
            size="xs"
            label="Compare to previous period"
            checked={state.compare}
            onChange={(e) => update({ compare: e.currentTarget.checked ? null : '0' })}
            data-testid="web-compare"
          />
        </Group>
      </Group>
      <Group gap={6} wrap="wrap" data-testid="web-filters">
        {state.filters.map((f, i) => (
          <Badge
            key={`${f.key}-${i}`}
            variant="light"
            size="lg"
            radius="sm"
            tt="none"
            fw={500}
            rightSection={
              <CloseButton size="xs" aria-label={`Remove ${chipWords(f)}`} onClick={() => setFilters(state.filters.filter((_, j) => j !== i))} />
            }
            data-testid="web-filter-chip"
          >
            {chipWords(f)}
          </Badge>
        ))}
        <PropertyFilterEditor projectId={project.id} value={[]} onChange={(added) => setFilters([...state.filters, ...added])} types={['event', 'person']} testId="web-add-filter" />
        {state.filters.length > 0 && (
          <Button variant="subtle" size="xs" onClick={() => setFilters([])} data-testid="web-clear-filters">
            Clear filters
          </Button>
        )}
      </Group>
      {overview.isError ? (
        <ErrorAlert error={overview.error} onRetry={() => overview.refetch()} />
      ) : empty ? (
        <EmptyState icon={<IconWorld size={28} />} title="No page views in this range" testId="web-empty">
          Web analytics counts the page views that posthog-js sends from your site — with or without person profiles. Add the snippet from{' '}
          <Anchor component={Link} to={`/project/${project.id}/settings`}>
            Settings
          </Anchor>{' '}
          to your pages, or pick a longer date range.
        </EmptyState>
      ) : (
        <>
          <OverviewTiles items={overview.data?.results} compare={state.compare} />
          <TrendCard projectId={project.id} state={state} />
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            {CARDS.map((card) => (
              <TableCard
                key={card.id}
                card={card}
                projectId={project.id}
                state={state}
                onTab={(t) => update({ [`${card.id}_tab`]: t === card.tabs[0] ? null : t }, { replace: true })}
                onDrill={drill}
              />
            ))}
            <MapCard projectId={project.id} state={state} onDrill={(code) => drill(DIMENSIONS.Country, code)} />
            <GoalsCard projectId={project.id} state={state} onGoal={(g) => update({ goal: g })} />
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}

/** Every country there is: the map shows them all, and the countries table its top rows. */
const MAP_COUNTRIES = 250;

function LiveVisitors({ projectId }: { projectId: number | string }) {
  const live = useWebQuery<{ results: { visitors: number; views: number } }>(projectId, liveQuery(), { refetchInterval: 30_000 });
  if (!live.data) return null;
  const n = live.data.results.visitors;
  return (
    <Tooltip label={`${formatNumber(live.data.results.views)} page views in the last 30 minutes`}>
      <Badge variant="light" color="green" radius="sm" tt="none" leftSection={<span className={classes.live} />} data-testid="web-live">
        {formatNumber(n)} {n === 1 ? 'visitor' : 'visitors'} online
      </Badge>
    </Tooltip>
  );
}

function tileValue(item: OverviewItem): string {
  if (item.value === null) return '—';
  if (item.kind === 'duration_s') return formatNumber(item.value, 'duration');
  if (item.kind === 'percentage') return formatNumber(Math.round(item.value * 10) / 10, 'percent');
  return formatNumber(item.value);
}

function OverviewTiles({ items, compare }: { items: OverviewItem[] | undefined; compare: boolean }) {
  if (!items) {
    return (
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm">
        {Array.from({ length: 5 }, (_, i) => (
          <Skeleton key={i} height={86} radius="md" />
        ))}
      </SimpleGrid>
    );
  }
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: items.length > 5 ? 4 : 5 }} spacing="sm" data-testid="web-overview">
      {items.map((item) => {
        const tone = changeTone(item);
        return (
          <Paper key={item.key} withBorder radius="md" p="sm" className={classes.tile} data-testid={`web-tile-${item.key.replace(/ /g, '-')}`}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {TILE_LABELS[item.key] ?? item.key}
            </Text>
            <Text fz={24} fw={650} lh={1.3} data-testid="web-tile-value">
              {tileValue(item)}
            </Text>
            {compare && (
              <Group gap={4} h={18}>
                {item.changeFromPreviousPct !== null ? (
                  <Text size="xs" fw={600} c={tone === 'good' ? 'teal' : tone === 'bad' ? 'red' : 'dimmed'} data-testid="web-tile-change">
                    {item.changeFromPreviousPct > 0 ? <IconArrowUpRight size={12} /> : item.changeFromPreviousPct < 0 ? <IconArrowDownRight size={12} /> : null}
                    {item.changeFromPreviousPct > 0 ? '+' : ''}
                    {item.changeFromPreviousPct}%
                  </Text>
                ) : (
                  <Text size="xs" c="dimmed">
                    no earlier data
                  </Text>
                )}
                {item.previous !== null && item.changeFromPreviousPct !== null && (
                  <Text size="xs" c="dimmed">
                    vs {tileValue({ ...item, value: item.previous })}
                  </Text>
                )}
              </Group>
            )}
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}

interface TrendAnswer {
  results: { bucket: string; metrics: { UniqueUsers: number; PageViews: number } }[];
}

function TrendCard({ projectId, state }: { projectId: number | string; state: WebState }) {
  const trend = useWebQuery<TrendAnswer>(projectId, trendQuery(state));
  const viz = useMemo<Viz | null>(() => {
    if (!trend.data) return null;
    const rows = trend.data.results;
    // the insights' day labels ("Nov 29", with the year when the range spans two), the table keeps the dates
    const hourly = trendQuery(state).interval === 'hour';
    const multiYear = new Set(rows.map((r) => r.bucket.slice(0, 4))).size > 1;
    const categories = rows.map((r) => bucketLabel(r.bucket, hourly ? 'hour' : 'day', multiYear));
    return {
      chart: {
        type: 'line',
        categories,
        series: [
          { name: 'Visitors', data: rows.map((r) => r.metrics.UniqueUsers), colorIndex: 0 },
          { name: 'Page views', data: rows.map((r) => r.metrics.PageViews), colorIndex: 1 },
        ],
      },
      table: {
        columns: [
          { key: 'bucket', label: 'Date' },
          { key: 'visitors', label: 'Visitors', numeric: true },
          { key: 'views', label: 'Page views', numeric: true },
        ],
        rows: rows.map((r) => ({
          key: r.bucket,
          cells: [{ value: r.bucket }, { value: r.metrics.UniqueUsers }, { value: r.metrics.PageViews }],
        })),
      },
    };
  }, [trend.data, state]);
  return (
    <Paper withBorder radius="md" p="md" data-testid="web-trend">
      <Text fw={600} mb="xs">
        Visitors and page views
      </Text>
      {trend.isError ? <ErrorAlert error={trend.error} onRetry={() => trend.refetch()} /> : viz ? <ChartView viz={viz} height={260} /> : <Skeleton height={260} />}
    </Paper>
  );
}

function TableCard({
  card,
  projectId,
  state,
  onTab,
  onDrill,
}: {
  card: { id: string; title: string; tabs: string[] };
  projectId: number | string;
  state: WebState;
  onTab: (tab: string) => void;
  onDrill: (dimension: Dimension, value: string | null) => void;
}) {
  const tab = state.tabs[card.id];
  return (
    <Paper withBorder radius="md" p="md" data-testid={`web-card-${card.id}`}>
      <Tabs value={tab} onChange={(t) => t && onTab(t)} variant="pills" radius="sm">
        <Group justify="space-between" mb="xs" wrap="nowrap" gap="xs">
          <Text fw={600}>{card.title}</Text>
          <Tabs.List style={{ flexWrap: 'wrap', justifyContent: 'flex-end' }}>
            {card.tabs.map((t) => (
              <Tabs.Tab key={t} value={t} size="xs" fz="xs" py={4} px={8} data-testid={`web-tab-${t}`}>
                {DIMENSIONS[t].label}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Group>
      </Tabs>
      <StatsTable key={tab} projectId={projectId} state={state} dimension={DIMENSIONS[tab]} onDrill={onDrill} />
    </Paper>
  );
}

function pair(cell: TableRow[number] | undefined): number | null {
  return Array.isArray(cell) ? cell[0] : null;
}
type TableRow = TableAnswer['results'][number];

function StatsTable({
  projectId,
  state,
  dimension,
  onDrill,
}: {
  projectId: number | string;
  state: WebState;
  dimension: Dimension;
  onDrill: (dimension: Dimension, value: string | null) => void;
}) {
  const [limit, setLimit] = useState(10);
  // the countries table asks the map's question (every country) and shows its top rows: one request for both
  const shared = dimension.breakdown === 'Country' && !state.goal && limit <= MAP_COUNTRIES;
  const answer = useWebQuery<TableAnswer>(
    projectId,
    tableQuery(shared ? { ...state, goal: null } : state, dimension.breakdown, shared ? MAP_COUNTRIES : limit),
  );
  if (answer.isError) return <ErrorAlert error={answer.error} onRetry={() => answer.refetch()} />;
  if (!answer.data) return <Skeleton height={300} />;
  const rows = shared ? answer.data.results.slice(0, limit) : answer.data.results;
  const hasMore = shared ? answer.data.results.length > limit || answer.data.hasMore : answer.data.hasMore;
  const at = (name: string) => answer.data!.columns.indexOf(`context.columns.${name}`);
  const top = Math.max(1, ...rows.map((r) => pair(r[at('visitors')]) ?? 0));
  const goal = at('unique_conversions') >= 0;
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed" py="lg" ta="center" data-testid="web-table-empty">
        Nothing in this range{state.filters.length ? ' with these filters' : ''}.
      </Text>
    );
  }
  return (
    <Stack gap={4}>
      {/* on a phone the value, visitors and views fit; bounce and conversion show from the small breakpoint up */}
      <Table.ScrollContainer minWidth={300}>
        <Table verticalSpacing={4} horizontalSpacing="xs" highlightOnHover data-testid={`web-table-${dimension.breakdown}`} style={{ tableLayout: 'fixed' }}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{dimension.column}</Table.Th>
              <Table.Th w={72} ta="right">
                Visitors
              </Table.Th>
              <Table.Th w={72} ta="right">
                Views
              </Table.Th>
              {dimension.bounce && (
                <Table.Th w={70} ta="right" visibleFrom="sm">
                  Bounce
                </Table.Th>
              )}
              {goal && (
                <Table.Th w={90} ta="right" visibleFrom="sm">
                  Conversion
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => {
              const value = r[0] as string | null;
              const visitors = pair(r[at('visitors')]) ?? 0;
              return (
                <Table.Tr key={String(value)}>
                  <Table.Td className={classes.bar} style={{ '--share': `${(100 * visitors) / top}%` } as React.CSSProperties}>
                    <Tooltip label={`Filter the page by ${dimension.column.toLowerCase()}: ${valueWords(dimension, value)}`} openDelay={400}>
                      <button
                        type="button"
                        className={classes.value}
                        onClick={() => onDrill(dimension, value)}
                        data-testid="web-drill"
                      >
                        {valueWords(dimension, value)}
                      </button>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td ta="right">{formatNumber(visitors)}</Table.Td>
                  <Table.Td ta="right">{formatNumber(pair(r[at('views')]))}</Table.Td>
                  {dimension.bounce && (
                    <Table.Td ta="right" visibleFrom="sm">{pair(r[at('bounce_rate')]) === null ? '—' : formatNumber(Math.round(pair(r[at('bounce_rate')])! * 1000) / 10, 'percent')}</Table.Td>
                  )}
                  {goal && (
                    <Table.Td ta="right" visibleFrom="sm">
                      {pair(r[at('conversion_rate')]) === null ? '—' : formatNumber(Math.round(pair(r[at('conversion_rate')])! * 1000) / 10, 'percent')}
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {hasMore && (
        <Group justify="center">
          <Button variant="subtle" size="xs" onClick={() => setLimit((l) => l + 10)} loading={answer.isFetching} data-testid="web-show-more">
            Show more
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function MapCard({ projectId, state, onDrill }: { projectId: number | string; state: WebState; onDrill: (code: string) => void }) {
  const answer = useWebQuery<TableAnswer>(projectId, tableQuery({ ...state, goal: null }, 'Country', MAP_COUNTRIES));
  const viz = useMemo<Viz<string> | null>(() => {
    if (!answer.data) return null;
    const rows = answer.data.results.filter((r) => typeof r[0] === 'string');
    return {
      chart: {
        type: 'map',
        items: rows.map((r) => ({ label: countryName(r[0] as string), code: r[0] as string, value: pair(r[1]) ?? 0, drill: r[0] as string })),
      },
      table: {
        columns: [
          { key: 'country', label: 'Country' },
          { key: 'visitors', label: 'Visitors', numeric: true },
        ],
        rows: rows.map((r) => ({ key: r[0] as string, cells: [{ value: countryName(r[0] as string), drill: r[0] as string }, { value: pair(r[1]) }] })),
      },
    };
  }, [answer.data]);
  return (
    <Paper withBorder radius="md" p="md" data-testid="web-map">
      <Text fw={600} mb="xs">
        Visitors by country
      </Text>
      {answer.isError ? (
        <ErrorAlert error={answer.error} onRetry={() => answer.refetch()} />
      ) : viz && viz.table.rows.length === 0 ? (
        <Text size="sm" c="dimmed" py="xl" ta="center" data-testid="web-map-empty">
          No visitor has a known country in this range. Countries come from each visitor's IP address through the GeoIP database
          (docs/enrichment.md); traffic from private networks has none.
        </Text>
      ) : viz ? (
        <ChartView viz={viz} height={300} onDrill={onDrill} />
      ) : (
        <Skeleton height={300} />
      )}
    </Paper>
  );
}

function GoalsCard({ projectId, state, onGoal }: { projectId: number | string; state: WebState; onGoal: (goal: string | null) => void }) {
  const answer = useWebQuery<{ results: [string, [number, number | null], [number, number | null], [number | null, number | null]][] }>(
    projectId,
    goalsQuery(state),
  );
  return (
    <Paper withBorder radius="md" p="md" data-testid="web-goals">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>Goals</Text>
        {state.goal && (
          <Button variant="subtle" size="xs" onClick={() => onGoal(null)}>
            Show all custom events
          </Button>
        )}
      </Group>
      {answer.isError ? (
        <ErrorAlert error={answer.error} onRetry={() => answer.refetch()} />
      ) : !answer.data ? (
        <Skeleton height={200} />
      ) : answer.data.results.length === 0 ? (
        <Text size="sm" c="dimmed" py="lg" ta="center">
          No custom events in this range. Send one with <code>posthog.capture('signed_up')</code> and it shows here as a goal.
        </Text>
      ) : (
        <Table verticalSpacing={4} horizontalSpacing="xs" highlightOnHover data-testid="web-goals-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Goal</Table.Th>
              <Table.Th ta="right">Converted visitors</Table.Th>
              <Table.Th ta="right">Conversions</Table.Th>
              <Table.Th ta="right">Rate</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {answer.data.results.map((r) => (
              <Table.Tr key={r[0]}>
                <Table.Td>
                  <Tooltip label="Show conversions beside every table" openDelay={400}>
                    <button type="button" className={classes.value} onClick={() => onGoal(r[0])}>
                      {r[0]}
                    </button>
                  </Tooltip>
                </Table.Td>
                <Table.Td ta="right">{formatNumber(r[1][0])}</Table.Td>
                <Table.Td ta="right">{formatNumber(r[2][0])}</Table.Td>
                <Table.Td ta="right">{r[3][0] === null ? '—' : formatNumber(Math.round(r[3][0] * 1000) / 10, 'percent')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
