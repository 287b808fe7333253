import { Center, Group, SegmentedControl, SimpleGrid, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconChartBar, IconTable } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { ChartTable } from './ChartTable';
import { EChart } from './EChart';
import { formatNumber, changeWords } from './format';
import { busiestLinks } from './options';
import { RetentionGrid } from './RetentionGrid';
import type { ChartModel, NumberItem, Viz } from './types';
import classes from './charts.module.css';

export type ChartViewMode = 'chart' | 'table';

function NumberView({ items, format, compact }: { items: NumberItem[]; format?: Extract<ChartModel, { type: 'number' }>['format']; compact?: boolean }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: Math.min(items.length, 3) }} spacing="lg" py={compact ? 'xs' : 'xl'} data-testid="chart-number">
      {items.map((item) => {
        const change = changeWords(item.value, item.previous);
        return (
          <Stack key={item.label} gap={2} align="center">
            <Text className={`${classes.number} ${items.length > 2 || compact ? classes.numberSmall : ''}`}>{formatNumber(item.value, format)}</Text>
            <Text size="sm" c="dimmed" ta="center" lineClamp={2}>
              {item.label}
            </Text>
            {change && (
              <Text size="xs" c={change.startsWith('−') ? 'red' : 'teal'}>
                {change} on the previous period
              </Text>
            )}
          </Stack>
        );
      })}
    </SimpleGrid>
  );
}

/** The toggle between a chart and the table of its numbers. */
export function ViewToggle({ value, onChange }: { value: ChartViewMode; onChange: (v: ChartViewMode) => void }) {
  return (
    <SegmentedControl
      size="xs"
      value={value}
      onChange={(v) => onChange(v as ChartViewMode)}
      data-testid="view-toggle"
      aria-label="Show as"
      data={[
        { value: 'chart', label: <Group gap={4} wrap="nowrap"><IconChartBar size={14} /> Chart</Group> },
        { value: 'table', label: <Group gap={4} wrap="nowrap"><IconTable size={14} /> Table</Group> },
      ]}
    />
  );
}

/** Whether a model has a drawing apart from its table (a table display has only the table). */
export const hasChart = (model: ChartModel) => model.type !== 'table' && model.type !== 'empty';

/**
 * A chart and the table of the same numbers. Pages either hold the mode themselves (the URL) and
 * pass `mode`, or let this keep it. Points and table cells hand their drill payload to `onDrill`.
 */
export function ChartView<D>({
  viz,
  onDrill,
  height = 340,
  mode,
  onModeChange,
  compact,
  showToggle = true,
}: {
  viz: Viz<D>;
  onDrill?: (target: D) => void;
  height?: number | string;
  mode?: ChartViewMode;
  onModeChange?: (mode: ChartViewMode) => void;
  compact?: boolean;
  showToggle?: boolean;
}) {
  const [own, setOwn] = useState<ChartViewMode>('chart');
  const current = mode ?? own;
  const setMode = onModeChange ?? setOwn;
  const { chart, table } = viz;
  const drawn = useMemo(() => (compact ? busiestLinks(chart, 16) : chart), [chart, compact]);

  if (chart.type === 'empty') {
    return (
      <Center mih={compact ? 120 : 220} data-testid="chart-empty">
        <Stack gap={6} align="center" maw={420}>
          <ThemeIcon variant="light" size="lg" radius="xl" color="gray">
            <IconChartBar size={18} />
          </ThemeIcon>
          <Text fw={600} size="sm">
            {chart.title}
          </Text>
          <Text size="sm" c="dimmed" ta="center">
            {chart.message}
          </Text>
        </Stack>
      </Center>
    );
  }

  const showTable = current === 'table' || chart.type === 'table';
  return (
    <Stack gap="xs" data-testid="chart" data-chart-type={chart.type} style={{ minHeight: 0 }}>
      {showToggle && hasChart(chart) && (
        <Group justify="flex-end">
          <ViewToggle value={current} onChange={setMode} />
        </Group>
      )}
      {showTable ? (
        <ChartTable table={table} onDrill={onDrill} maxHeight={compact ? height : undefined} />
      ) : chart.type === 'number' ? (
        <NumberView items={chart.items} format={chart.format} compact={compact} />
      ) : chart.type === 'grid' ? (
        <RetentionGrid table={table} onDrill={onDrill} />
      ) : (
        <EChart model={drawn} height={height} onPoint={onDrill} />
      )}
      {viz.summary && !compact && (
        <Text size="sm" c="dimmed" data-testid="chart-summary">
          {viz.summary}
        </Text>
      )}
    </Stack>
  );
}
