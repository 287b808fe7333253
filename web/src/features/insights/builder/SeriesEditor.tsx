import { ActionIcon, Badge, Box, Button, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconCopy, IconFilter, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { PropertyFilterEditor } from '../../../components/filters/PropertyFilterEditor';
import { eventNode, mathNeedsProperty, seriesLetter, withSeriesFilters } from '../query/model';
import type { EventsNode } from '../query/types';
import { EventSelect, MathSelect, PropertySelect } from './pickers';
import classes from './builder.module.css';

export type SeriesMode = 'trends' | 'funnel' | 'stickiness' | 'lifecycle';

const MAX_SERIES: Record<SeriesMode, number> = { trends: 10, funnel: 20, stickiness: 10, lifecycle: 1 };

/**
 * The series of a trends, stickiness or lifecycle insight, or the steps of a funnel: an event
 * each, how it is counted (trends), and filters of its own.
 */
export function SeriesEditor({
  projectId,
  series,
  onChange,
  mode,
}: {
  projectId: string | number;
  series: EventsNode[];
  onChange: (series: EventsNode[]) => void;
  mode: SeriesMode;
}) {
  const [filtersOpen, setFiltersOpen] = useState<Set<number>>(() => new Set(series.flatMap((s, i) => (s.properties?.length ? [i] : []))));
  const update = (i: number, node: EventsNode) => onChange(series.map((s, j) => (j === i ? node : s)));
  const remove = (i: number) => {
    onChange(series.filter((_, j) => j !== i));
    setFiltersOpen(new Set([...filtersOpen].filter((j) => j !== i).map((j) => (j > i ? j - 1 : j))));
  };
  const toggleFilters = (i: number) => {
    const next = new Set(filtersOpen);
    if (next.has(i)) next.delete(i);
    else next.add(i);
    setFiltersOpen(next);
  };
  const max = MAX_SERIES[mode];
  const noun = mode === 'funnel' ? 'step' : 'series';

  return (
    <Stack gap={8} data-testid="series-editor">
      {series.map((node, i) => {
        const showFilters = filtersOpen.has(i) || !!node.properties?.length;
        return (
          <Box key={i} className={classes.seriesRow} data-testid="series-row">
            <Group gap={6} wrap="wrap" align="center">
              <Badge variant="light" radius="sm" size="lg" w={30} px={0} className={classes.letter}>
                {mode === 'funnel' ? i + 1 : seriesLetter(i)}
              </Badge>
              <EventSelect
                projectId={projectId}
                value={node.event}
                allowAll={mode !== 'funnel'}
                onChange={(event) => update(i, { ...node, event, name: event ?? 'All events' })}
                aria-label={mode === 'funnel' ? `Step ${i + 1} event` : `Series ${seriesLetter(i)} event`}
                data-testid="series-event"
                style={{ flex: '1 1 180px', minWidth: 150 }}
              />
              {mode === 'trends' && (
                <MathSelect
                  value={node.math}
                  onChange={(math) => update(i, { ...node, math, math_property: mathNeedsProperty(math) ? node.math_property : undefined })}
                  data-testid="series-math"
                  w={168}
                />
              )}
              <Tooltip label={showFilters ? 'Filters of this ' + noun : `Filter this ${noun}`} withArrow>
                <ActionIcon
                  variant={node.properties?.length ? 'light' : 'subtle'}
                  color={node.properties?.length ? undefined : 'gray'}
                  onClick={() => toggleFilters(i)}
                  aria-label={`Filter ${noun} ${mode === 'funnel' ? i + 1 : seriesLetter(i)}`}
                  data-testid="series-filter-toggle"
                >
                  <IconFilter size={15} />
                </ActionIcon>
              </Tooltip>
              {mode === 'trends' && series.length < max && (
                <Tooltip label="Duplicate" withArrow>
                  <ActionIcon variant="subtle" color="gray" onClick={() => onChange([...series.slice(0, i + 1), { ...node }, ...series.slice(i + 1)])} aria-label="Duplicate series">
                    <IconCopy size={15} />
                  </ActionIcon>
                </Tooltip>
              )}
              {series.length > 1 && (
                <Tooltip label={`Remove ${noun}`} withArrow>
                  <ActionIcon variant="subtle" color="gray" onClick={() => remove(i)} aria-label={`Remove ${noun} ${mode === 'funnel' ? i + 1 : seriesLetter(i)}`} data-testid="series-remove">
                    <IconTrash size={15} />
                  </ActionIcon>
                </Tooltip>
              )}
            </Group>
            {mode === 'trends' && mathNeedsProperty(node.math) && (
              <Group gap={6} mt={6} ml={36} wrap="nowrap">
                <Text size="xs" c="dimmed">
                  of
                </Text>
                <PropertySelect
                  projectId={projectId}
                  scope="event"
                  numeric
                  value={node.math_property}
                  onChange={(key) => update(i, { ...node, math_property: key ?? undefined })}
                  error={!node.math_property}
                  data-testid="series-math-property"
                  style={{ flex: 1 }}
                />
              </Group>
            )}
            {showFilters && (
              <Box mt={6} ml={36}>
                <PropertyFilterEditor
                  projectId={projectId}
                  value={node.properties ?? []}
                  onChange={(filters) => update(i, withSeriesFilters(node, filters))}
                  types={['event', 'person']}
                  addLabel={`Filter ${noun}`}
                  testId="series-filters"
                />
              </Box>
            )}
          </Box>
        );
      })}
      {series.length < max && (
        <Group>
          <Button
            size="xs"
            variant="subtle"
            leftSection={<IconPlus size={14} />}
            onClick={() => onChange([...series, eventNode(series[series.length - 1]?.event ?? '$pageview', mode === 'trends' ? 'total' : undefined)])}
            data-testid="series-add"
          >
            {mode === 'funnel' ? 'Add step' : 'Add series'}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
