import { Box, Button, Center, Group, Loader, Paper, SegmentedControl, Select, Stack, Switch, Text, Tooltip } from '@mantine/core';
import { IconPlayerPlay, IconPlayerStop, IconRefresh } from '@tabler/icons-react';
import { useMemo, type ReactNode } from 'react';
import { ApiError } from '../../api';
import { ChartView, ViewToggle, hasChart, type ChartViewMode } from '../../components/charts/ChartView';
import { DateRangePicker } from '../../components/DateRangePicker';
import { ErrorAlert } from '../../components/ErrorAlert';
import { relativeTime, absoluteTime } from '../../lib/time';
import type { DrillTarget } from './drilldown/source';
import { isAggregated } from './query/model';
import type { FunnelViz, InsightQuery, Interval, TrendsDisplay, TrendsQuery } from './query/types';
import type { useInsightResult } from './queries';
import { toViz } from './results/transform';
import classes from './insights.module.css';

const INTERVALS: { value: Interval; label: string }[] = [
  { value: 'hour', label: 'Hourly' },
  { value: 'day', label: 'Daily' },
  { value: 'week', label: 'Weekly' },
  { value: 'month', label: 'Monthly' },
];

const DISPLAYS: { value: TrendsDisplay; label: string }[] = [
  { value: 'ActionsLineGraph', label: 'Line' },
  { value: 'ActionsUnstackedBar', label: 'Bars' },
  { value: 'ActionsBar', label: 'Stacked bars' },
  { value: 'ActionsAreaGraph', label: 'Area' },
  { value: 'BoldNumber', label: 'Number' },
  { value: 'ActionsTable', label: 'Table' },
  { value: 'ActionsPie', label: 'Pie' },
  { value: 'ActionsBarValue', label: 'Bars by total' },
  { value: 'WorldMap', label: 'World map' },
];

/** The date range, interval and display: how the answer is cut and drawn. */
function Toolbar({ query, onChange, timeZone, end }: { query: InsightQuery; onChange: (q: InsightQuery) => void; timeZone?: string; end?: ReactNode }) {
  const trends = query.kind === 'TrendsQuery' ? query : null;
  const display = trends?.trendsFilter?.display ?? 'ActionsLineGraph';
  const cumulative = display === 'ActionsLineGraphCumulative';
  const funnelViz = query.kind === 'FunnelsQuery' ? query.funnelsFilter?.funnelVizType ?? 'steps' : null;
  const showInterval =
    query.kind === 'StickinessQuery' || query.kind === 'LifecycleQuery' || (trends && !isAggregated(display)) || funnelViz === 'trends';
  const setDisplay = (d: TrendsDisplay) => {
    if (!trends) return;
    // a world map breaks down by country when sent (cleanQuery); the breakdown chosen stays for the other displays
    onChange({ ...trends, trendsFilter: { ...trends.trendsFilter, display: d } } satisfies TrendsQuery);
  };
  return (
    <Group gap="xs" justify="space-between" wrap="wrap" data-testid="insight-toolbar">
      <Group gap="xs" wrap="wrap">
        <DateRangePicker value={query.dateRange} onChange={(dateRange) => onChange({ ...query, dateRange })} timeZone={timeZone} />
        {showInterval && (
          <Select
            size="xs"
            w={104}
            aria-label="Interval"
            value={('interval' in query && query.interval) || 'day'}
            onChange={(v) => v && onChange({ ...query, interval: v as Interval } as InsightQuery)}
            data={INTERVALS}
            allowDeselect={false}
            data-testid="interval"
          />
        )}
        {trends && (
          <Select
            size="xs"
            w={140}
            aria-label="Chart type"
            value={cumulative ? 'ActionsLineGraph' : display}
            onChange={(v) => v && setDisplay(v as TrendsDisplay)}
            data={DISPLAYS}
            allowDeselect={false}
            data-testid="display"
          />
        )}
        {trends && (display === 'ActionsLineGraph' || cumulative) && (
          <Switch
            size="xs"
            label="Cumulative"
            checked={cumulative}
            onChange={(e) => setDisplay(e.currentTarget.checked ? 'ActionsLineGraphCumulative' : 'ActionsLineGraph')}
            data-testid="cumulative"
          />
        )}
        {trends && !isAggregated(display) && (
          <Switch
            size="xs"
            label="Compare to previous period"
            checked={!!trends.compareFilter?.compare}
            onChange={(e) => onChange({ ...trends, compareFilter: e.currentTarget.checked ? { compare: true } : undefined })}
            data-testid="compare"
          />
        )}
        {funnelViz && query.kind === 'FunnelsQuery' && (
          <SegmentedControl
            size="xs"
            value={funnelViz}
            onChange={(v) => onChange({ ...query, funnelsFilter: { ...query.funnelsFilter, funnelVizType: v as FunnelViz } })}
            data={[
              { value: 'steps', label: 'Steps' },
              { value: 'time_to_convert', label: 'Time to convert' },
              { value: 'trends', label: 'Conversion over time' },
            ]}
            data-testid="funnel-viz"
          />
        )}
        {query.kind === 'RetentionQuery' && (
          <SegmentedControl
            size="xs"
            value={query.retentionFilter.display ?? 'ActionsTable'}
            onChange={(v) => onChange({ ...query, retentionFilter: { ...query.retentionFilter, display: v as 'ActionsTable' | 'ActionsLineGraph' } })}
            data={[
              { value: 'ActionsTable', label: 'Cohort grid' },
              { value: 'ActionsLineGraph', label: 'Curve' },
            ]}
            data-testid="retention-display"
          />
        )}
        {query.kind === 'StickinessQuery' && (
          <Switch
            size="xs"
            label="Cumulative (this many or more)"
            checked={query.stickinessFilter?.computedAs === 'cumulative'}
            onChange={(e) => onChange({ ...query, stickinessFilter: e.currentTarget.checked ? { computedAs: 'cumulative' } : undefined })}
          />
        )}
      </Group>
      {end}
    </Group>
  );
}

/** "Computed 3 min ago" with a refresh, or the time spent so far with a cancel. */
function Freshness({ run }: { run: ReturnType<typeof useInsightResult> }) {
  if (run.loading) {
    return (
      <Group gap="xs" data-testid="insight-loading">
        <Loader size={14} />
        <Text size="xs" c="dimmed" data-testid="elapsed">
          Calculating… {run.elapsed.toFixed(1)} s
        </Text>
        <Button size="compact-xs" variant="subtle" color="gray" leftSection={<IconPlayerStop size={12} />} onClick={run.cancel} data-testid="insight-cancel">
          Cancel
        </Button>
      </Group>
    );
  }
  const response = run.answer?.response;
  if (!response) return null;
  return (
    <Group gap={6}>
      {response.last_refresh && (
        <Tooltip label={`${absoluteTime(response.last_refresh)}${response.is_cached ? ' (from the cache)' : ''}`} withArrow>
          <Text size="xs" c="dimmed" data-testid="last-refresh" data-cached={response.is_cached ? 'true' : 'false'}>
            Computed {relativeTime(response.last_refresh)}
            {response.is_cached ? ' · cached' : ''}
          </Text>
        </Tooltip>
      )}
      <Tooltip label="Compute again from the events, past the cache" withArrow>
        <Button size="compact-xs" variant="subtle" leftSection={<IconRefresh size={12} />} onClick={run.refresh} data-testid="insight-refresh">
          Refresh
        </Button>
      </Tooltip>
    </Group>
  );
}

/** The chart panel of the builder: toolbar, freshness, and the answer (or why there is none). */
export function InsightResult({
  query,
  onChange,
  run,
  mode,
  onModeChange,
  onDrill,
  timeZone,
}: {
  query: InsightQuery;
  onChange: (q: InsightQuery) => void;
  run: ReturnType<typeof useInsightResult>;
  mode: ChartViewMode;
  onModeChange: (m: ChartViewMode) => void;
  onDrill: (target: DrillTarget) => void;
  timeZone?: string;
}) {
  const viz = useMemo(() => (run.answer ? toViz(run.answer.query, run.answer.response) : null), [run.answer]);
  const firstLoad = run.loading && !run.answer;

  let body: ReactNode;
  if (run.notReady) {
    body = (
      <Center mih={260} data-testid="insight-not-ready">
        <Text size="sm" c="dimmed" maw={420} ta="center">
          {run.notReady}
        </Text>
      </Center>
    );
  } else if (run.error) {
    // a refused question (4xx) needs changing, not asking again
    const refused = run.error instanceof ApiError && run.error.status >= 400 && run.error.status < 500;
    body = <ErrorAlert error={run.error} title="The engine could not answer this" onRetry={refused ? undefined : run.refresh} />;
  } else if (run.cancelled && !run.answer) {
    body = (
      <Center mih={260} data-testid="insight-cancelled">
        <Stack align="center" gap="xs">
          <Text size="sm" c="dimmed">
            Cancelled. Change the question, or run it again.
          </Text>
          <Button size="xs" variant="light" leftSection={<IconPlayerPlay size={14} />} onClick={run.rerun}>
            Run again
          </Button>
        </Stack>
      </Center>
    );
  } else if (firstLoad || !viz) {
    body = (
      <Center mih={340} data-testid="insight-first-load">
        <Stack align="center" gap="xs">
          <Loader size="sm" />
          <Text size="sm" c="dimmed">
            Calculating…
          </Text>
        </Stack>
      </Center>
    );
  } else {
    body = (
      <Box className={run.stale || run.loading ? classes.stale : undefined} data-testid="insight-result" data-stale={run.stale || run.loading ? 'true' : 'false'}>
        <ChartView viz={viz} onDrill={onDrill} mode={mode} onModeChange={onModeChange} height={380} showToggle={false} />
      </Box>
    );
  }

  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="sm">
        <Toolbar
          query={query}
          onChange={onChange}
          timeZone={timeZone}
          end={viz && hasChart(viz.chart) && !run.notReady ? <ViewToggle value={mode} onChange={onModeChange} /> : null}
        />
        <Group justify="space-between" mih={22}>
          {run.cancelled && run.answer ? (
            <Text size="xs" c="orange">
              Cancelled: this shows the previous answer.{' '}
              <Button size="compact-xs" variant="subtle" onClick={run.rerun}>
                Run again
              </Button>
            </Text>
          ) : (
            <span />
          )}
          <Freshness run={run} />
        </Group>
        {body}
      </Stack>
    </Paper>
  );
}
