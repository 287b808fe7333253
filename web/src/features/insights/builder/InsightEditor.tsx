import {
  MultiSelect,
  Button,
  Chip,
  Grid,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconInfoCircle, IconPlus, IconX } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { listCohorts } from '../../../api/cohorts';
import { PropertyFilterEditor } from '../../../components/filters/PropertyFilterEditor';
import { useEventDefinitions } from '../../../lib/queries';
import { eventNode, retentionDateFrom, seriesLetter, validFormula } from '../query/model';
import type {
  BreakdownFilter,
  BreakdownType,
  FunnelExclusion,
  FunnelsQuery,
  InsightQuery,
  LifecycleQuery,
  LifecycleStatus,
  PathEventType,
  PathsQuery,
  RetentionPeriod,
  RetentionQuery,
  StickinessQuery,
  TrendsQuery,
  WindowUnit,
} from '../query/types';
import { LIFECYCLE_STATUSES } from '../query/types';
import { EventSelect, PropertySelect } from './pickers';
import { SeriesEditor } from './SeriesEditor';
import classes from './builder.module.css';

function Section({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <div className={classes.section}>
      <Group gap={4} className={classes.label}>
        {label}
        {hint && (
          <Tooltip label={hint} withArrow multiline w={260}>
            <IconInfoCircle size={13} aria-label={hint} />
          </Tooltip>
        )}
      </Group>
      {children}
    </div>
  );
}

/** Everything that shapes the question, for every kind; the date range and display sit with the chart. */
export function InsightEditor({
  projectId,
  query,
  onChange,
  hasTestFilters,
}: {
  projectId: string | number;
  query: InsightQuery;
  onChange: (q: InsightQuery) => void;
  hasTestFilters: boolean;
}) {
  const left = (() => {
    switch (query.kind) {
      case 'TrendsQuery':
        return <TrendsLeft projectId={projectId} query={query} onChange={onChange} />;
      case 'FunnelsQuery':
        return <FunnelLeft projectId={projectId} query={query} onChange={onChange} />;
      case 'RetentionQuery':
        return <RetentionLeft projectId={projectId} query={query} onChange={onChange} />;
      case 'PathsQuery':
        return <PathsLeft projectId={projectId} query={query} onChange={onChange} />;
      case 'StickinessQuery':
        return (
          <Section label="Series">
            <SeriesEditor projectId={projectId} series={query.series} mode="stickiness" onChange={(series) => onChange({ ...query, series } as StickinessQuery)} />
          </Section>
        );
      case 'LifecycleQuery':
        return <LifecycleLeft projectId={projectId} query={query} onChange={onChange} />;
    }
  })();

  return (
    <Grid gap="lg" data-testid="insight-editor">
      <Grid.Col span={{ base: 12, md: 7 }}>{left}</Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Stack gap="md">
          <Section label="Filters" hint="Only events that pass every filter count. Person filters read each person's current properties.">
            <Stack gap={8}>
              <PropertyFilterEditor
                projectId={projectId}
                value={query.properties ?? []}
                onChange={(properties) => onChange({ ...query, properties: properties.length ? properties : undefined })}
                types={['event', 'person', 'session', 'cohort']}
                testId="insight-filters"
              />
              <Tooltip
                label={hasTestFilters ? 'Leaves out the events the project marks as test accounts (Settings)' : 'No test-account filters are set for this project yet (Settings)'}
                withArrow
                multiline
                w={260}
              >
                <div style={{ alignSelf: 'flex-start' }}>
                  <Switch
                    size="xs"
                    label="Filter out test accounts"
                    checked={!!query.filterTestAccounts}
                    onChange={(e) => onChange({ ...query, filterTestAccounts: e.currentTarget.checked || undefined })}
                    data-testid="test-accounts"
                  />
                </div>
              </Tooltip>
            </Stack>
          </Section>
          {query.kind === 'RetentionQuery' && (
            <Section label="Compare cohorts" hint="One grid per cohort, side by side: how each group of people comes back.">
              <CohortBreakdown
                projectId={projectId}
                value={query.breakdownFilter}
                onChange={(b) => onChange({ ...query, breakdownFilter: Array.isArray(b?.breakdown) && b.breakdown.length ? b : undefined })}
              />
            </Section>
          )}
          {(query.kind === 'TrendsQuery' || query.kind === 'FunnelsQuery') && (
            <Section label="Breakdown" hint="One line, bar or funnel per value of a property.">
              <BreakdownEditor
                projectId={projectId}
                value={query.breakdownFilter}
                onChange={(breakdownFilter) => onChange({ ...query, breakdownFilter } as InsightQuery)}
                cohorts={query.kind === 'TrendsQuery'}
                disabled={query.kind === 'TrendsQuery' && query.trendsFilter?.display === 'WorldMap' ? 'A world map breaks down by country' : undefined}
              />
            </Section>
          )}
          {query.kind === 'TrendsQuery' && <TrendsRight query={query} onChange={onChange} />}
          {query.kind === 'FunnelsQuery' && <FunnelRight projectId={projectId} query={query} onChange={onChange} />}
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

// --- breakdown ---
const BREAKDOWN_TYPES: { value: BreakdownType; label: string }[] = [
  { value: 'event', label: 'Event' },
  { value: 'person', label: 'Person' },
  { value: 'session', label: 'Session' },
];

/** A cohort breakdown: one line per chosen cohort (a person counts in each cohort they are in). */
function CohortBreakdown({ projectId, value, onChange }: { projectId: string | number; value: BreakdownFilter | undefined; onChange: (b: BreakdownFilter | undefined) => void }) {
  const cohorts = useQuery({ queryKey: ['cohorts', String(projectId)], queryFn: () => listCohorts(projectId), staleTime: 10_000 });
  const chosen = Array.isArray(value?.breakdown) ? value.breakdown.map(String) : [];
  const data = [{ value: 'all', label: 'All users' }, ...(cohorts.data?.results ?? []).map((c) => ({ value: String(c.id), label: c.name }))];
  return (
    <MultiSelect
      size="xs"
      placeholder={chosen.length ? undefined : 'Choose cohorts'}
      value={chosen}
      onChange={(ids) =>
        onChange(ids.length ? { breakdown_type: 'cohort', breakdown: ids.map((id) => (id === 'all' ? 'all' : Number(id))) } : { breakdown_type: 'cohort' })
      }
      data={data}
      searchable
      nothingFoundMessage="No cohort by that name"
      data-testid="breakdown-cohorts"
    />
  );
}

function BreakdownEditor({
  projectId,
  value,
  onChange,
  disabled,
  cohorts,
}: {
  projectId: string | number;
  value: BreakdownFilter | undefined;
  onChange: (b: BreakdownFilter | undefined) => void;
  disabled?: string;
  /** Whether cohorts can be a breakdown here (trends). */
  cohorts?: boolean;
}) {
  const type = value?.breakdown_type ?? 'event';
  if (disabled) {
    return (
      <Text size="xs" c="dimmed">
        {disabled}.
      </Text>
    );
  }
  return (
    <Stack gap={6} data-testid="breakdown">
      <SegmentedControl
        size="xs"
        value={type}
        onChange={(t) => onChange(value?.breakdown ? { ...value, breakdown_type: t as BreakdownType, breakdown: null } : { breakdown_type: t as BreakdownType })}
        data={cohorts ? [...BREAKDOWN_TYPES, { value: 'cohort', label: 'Cohort' }] : BREAKDOWN_TYPES}
        aria-label="Breakdown by a property of the"
      />
      {type === 'cohort' ? (
        <CohortBreakdown projectId={projectId} value={value} onChange={onChange} />
      ) : (
      <Group gap={6} wrap="nowrap">
        <PropertySelect
          projectId={projectId}
          scope={type}
          value={typeof value?.breakdown === 'string' ? value.breakdown : null}
          onChange={(breakdown) => onChange(breakdown ? { ...value, breakdown, breakdown_type: type } : undefined)}
          placeholder={`Break down by ${type} property`}
          data-testid="breakdown-property"
          style={{ flex: 1 }}
        />
        {value?.breakdown && (
          <NumberInput
            size="xs"
            w={84}
            min={1}
            max={100}
            value={value.breakdown_limit ?? 25}
            onChange={(n) => onChange({ ...value, breakdown_limit: typeof n === 'number' && n !== 25 ? n : undefined })}
            aria-label="Values kept (the rest become Other)"
            title="Values kept (the rest become Other)"
            leftSection={<Text size="xs" c="dimmed">top</Text>}
            leftSectionWidth={30}
          />
        )}
      </Group>
      )}
    </Stack>
  );
}

// --- trends ---
function TrendsLeft({ projectId, query, onChange }: { projectId: string | number; query: TrendsQuery; onChange: (q: InsightQuery) => void }) {
  return (
    <Section label="Series">
      <SeriesEditor projectId={projectId} series={query.series} mode="trends" onChange={(series) => onChange({ ...query, series })} />
    </Section>
  );
}

function TrendsRight({ query, onChange }: { query: TrendsQuery; onChange: (q: InsightQuery) => void }) {
  const tf = query.trendsFilter ?? {};
  const formula = tf.formula;
  const formulaOk = formula === undefined || formula.trim() === '' || validFormula(formula, query.series.length) !== undefined;
  return (
    <Section label="Options">
      <Stack gap={8}>
        {formula === undefined ? (
          <Group>
            <Button size="xs" variant="subtle" leftSection={<IconPlus size={14} />} onClick={() => onChange({ ...query, trendsFilter: { ...tf, formula: '' } })} data-testid="formula-add">
              Add formula
            </Button>
          </Group>
        ) : (
          <Group gap={6} wrap="nowrap" align="flex-start">
            <TextInput
              size="xs"
              style={{ flex: 1 }}
              placeholder={query.series.length > 1 ? 'A / B * 100' : 'A * 2'}
              value={formula}
              onChange={(e) => onChange({ ...query, trendsFilter: { ...tf, formula: e.currentTarget.value } })}
              description={`Series ${query.series.map((_, i) => seriesLetter(i)).join(', ')}, numbers, + − × ÷ and brackets; only the formula is drawn`}
              error={!formulaOk ? 'Use the letters of the series above' : undefined}
              aria-label="Formula"
              data-testid="formula"
            />
            <Tooltip label="Remove formula" withArrow>
              <Button size="xs" variant="subtle" color="gray" px={6} onClick={() => onChange({ ...query, trendsFilter: { ...tf, formula: undefined } })} aria-label="Remove formula">
                <IconX size={14} />
              </Button>
            </Tooltip>
          </Group>
        )}
        <Group gap="md">
          <Select
            size="xs"
            w={190}
            label="Smoothing"
            value={String(tf.smoothingIntervals ?? 1)}
            onChange={(v) => onChange({ ...query, trendsFilter: { ...tf, smoothingIntervals: v && v !== '1' ? Number(v) : undefined } })}
            data={[
              { value: '1', label: 'None' },
              { value: '3', label: '3-point average' },
              { value: '7', label: '7-point average' },
              { value: '14', label: '14-point average' },
              { value: '28', label: '28-point average' },
            ]}
            allowDeselect={false}
            data-testid="smoothing"
          />
        </Group>
      </Stack>
    </Section>
  );
}

// --- funnels ---
function FunnelLeft({ projectId, query, onChange }: { projectId: string | number; query: FunnelsQuery; onChange: (q: InsightQuery) => void }) {
  return (
    <Section label="Steps" hint="A person enters with the first step and moves on with each next step done in order within the conversion window.">
      <SeriesEditor projectId={projectId} series={query.series} mode="funnel" onChange={(series) => onChange({ ...query, series })} />
    </Section>
  );
}

const WINDOW_UNITS: { value: WindowUnit; label: string }[] = [
  { value: 'minute', label: 'minutes' },
  { value: 'hour', label: 'hours' },
  { value: 'day', label: 'days' },
  { value: 'week', label: 'weeks' },
  { value: 'month', label: 'months' },
];

function FunnelRight({ projectId, query, onChange }: { projectId: string | number; query: FunnelsQuery; onChange: (q: InsightQuery) => void }) {
  const ff = query.funnelsFilter ?? {};
  const set = (patch: Partial<NonNullable<FunnelsQuery['funnelsFilter']>>) => onChange({ ...query, funnelsFilter: { ...ff, ...patch } });
  const steps = query.series.length;
  const exclusions = ff.exclusions ?? [];
  const setExclusion = (i: number, e: FunnelExclusion | null) =>
    set({ exclusions: e === null ? exclusions.filter((_, j) => j !== i) : exclusions.map((x, j) => (j === i ? e : x)) });
  const stepOptions = query.series.map((s, i) => ({ value: String(i), label: `${i + 1}. ${s.event ?? 'All events'}` }));
  return (
    <>
      <Section label="Options">
        <Stack gap={8}>
          <Group gap={6} wrap="nowrap" align="flex-end">
            <NumberInput
              size="xs"
              w={80}
              label="Within"
              min={1}
              max={1000}
              value={ff.funnelWindowInterval ?? 14}
              onChange={(n) => typeof n === 'number' && n >= 1 && set({ funnelWindowInterval: n })}
              data-testid="funnel-window"
            />
            <Select
              size="xs"
              w={110}
              aria-label="Conversion window unit"
              value={ff.funnelWindowIntervalUnit ?? 'day'}
              onChange={(v) => v && set({ funnelWindowIntervalUnit: v as WindowUnit })}
              data={WINDOW_UNITS}
              allowDeselect={false}
            />
            <Text size="xs" c="dimmed" pb={6}>
              of the first step
            </Text>
          </Group>
          <Select
            size="xs"
            label="Step order"
            value={ff.funnelOrderType ?? 'ordered'}
            onChange={(v) => v && set({ funnelOrderType: v as NonNullable<typeof ff.funnelOrderType> })}
            data={[
              { value: 'ordered', label: 'Sequential: steps in this order, other events between' },
              { value: 'strict', label: 'Strict: steps in this order, nothing between' },
              { value: 'unordered', label: 'Any order' },
            ]}
            allowDeselect={false}
            data-testid="funnel-order"
          />
          {query.breakdownFilter?.breakdown && (
            <Select
              size="xs"
              label="Breakdown value taken from"
              value={ff.breakdownAttributionType ?? 'first_touch'}
              onChange={(v) => v && set({ breakdownAttributionType: v as NonNullable<typeof ff.breakdownAttributionType> })}
              data={[
                { value: 'first_touch', label: 'The first step' },
                { value: 'last_touch', label: 'The last step done' },
                { value: 'all_events', label: 'Any step (a funnel per value)' },
              ]}
              allowDeselect={false}
            />
          )}
        </Stack>
      </Section>
      <Section label="Exclusions" hint="People who do this event between the two steps leave the funnel.">
        <Stack gap={6} data-testid="funnel-exclusions">
          {exclusions.map((e, i) => (
            <Group key={i} gap={6} wrap="nowrap">
              <EventSelect projectId={projectId} value={e.event} onChange={(event) => setExclusion(i, { ...e, event, name: event ?? undefined })} style={{ flex: 1 }} aria-label="Excluded event" />
              <Select size="xs" w={92} aria-label="From step" value={String(e.funnelFromStep)} data={stepOptions.slice(0, steps - 1)}
                onChange={(v) => v && setExclusion(i, { ...e, funnelFromStep: Number(v), funnelToStep: Math.max(e.funnelToStep, Number(v) + 1) })} allowDeselect={false} />
              <Select size="xs" w={92} aria-label="To step" value={String(e.funnelToStep)} data={stepOptions.slice(e.funnelFromStep + 1)}
                onChange={(v) => v && setExclusion(i, { ...e, funnelToStep: Number(v) })} allowDeselect={false} />
              <Button size="xs" variant="subtle" color="gray" px={6} onClick={() => setExclusion(i, null)} aria-label="Remove exclusion">
                <IconX size={14} />
              </Button>
            </Group>
          ))}
          <Group>
            <Button
              size="xs"
              variant="subtle"
              leftSection={<IconPlus size={14} />}
              disabled={steps < 2}
              onClick={() => set({ exclusions: [...exclusions, { ...eventNode('$pageleave'), funnelFromStep: 0, funnelToStep: steps - 1 }] })}
              data-testid="exclusion-add"
            >
              Add exclusion
            </Button>
          </Group>
        </Stack>
      </Section>
    </>
  );
}

// --- retention ---
const PERIODS: RetentionPeriod[] = ['Hour', 'Day', 'Week', 'Month'];

function RetentionLeft({ projectId, query, onChange }: { projectId: string | number; query: RetentionQuery; onChange: (q: InsightQuery) => void }) {
  const rf = query.retentionFilter;
  const set = (patch: Partial<RetentionQuery['retentionFilter']>, dateRange?: RetentionQuery['dateRange']) =>
    onChange({ ...query, retentionFilter: { ...rf, ...patch }, ...(dateRange ? { dateRange } : {}) });
  return (
    <Stack gap="md">
      <Section label="Who" hint="A person joins the cohort of the period in which they did this (first time ever, or each time).">
        <Stack gap={6}>
          <Group gap={6} wrap="nowrap">
            <Text size="sm" w={110}>
              People who did
            </Text>
            <EventSelect projectId={projectId} value={rf.targetEntity.id} onChange={(e) => e && set({ targetEntity: { ...rf.targetEntity, id: e, name: e } })}
              style={{ flex: 1 }} aria-label="Cohort event" data-testid="retention-target" />
          </Group>
          <SegmentedControl
            size="xs"
            value={rf.retentionType}
            onChange={(v) => set({ retentionType: v as RetentionQuery['retentionFilter']['retentionType'] })}
            data={[
              { value: 'retention_first_time', label: 'for the first time' },
              { value: 'retention_recurring', label: 'each time (recurring)' },
            ]}
            data-testid="retention-type"
          />
        </Stack>
      </Section>
      <Section label="Came back to">
        <Group gap={6} wrap="nowrap">
          <Text size="sm" w={110}>
            and then did
          </Text>
          <EventSelect projectId={projectId} value={rf.returningEntity.id} onChange={(e) => e && set({ returningEntity: { ...rf.returningEntity, id: e, name: e } })}
            style={{ flex: 1 }} aria-label="Returning event" data-testid="retention-returning" />
        </Group>
      </Section>
      <Section label="Periods">
        <Group gap={6} wrap="nowrap" align="flex-end">
          <Select
            size="xs"
            w={110}
            label="Each"
            value={rf.period}
            data={PERIODS.map((p) => ({ value: p, label: p.toLowerCase() }))}
            onChange={(v) => v && set({ period: v as RetentionPeriod }, { date_from: retentionDateFrom(v as RetentionPeriod, rf.totalIntervals) })}
            allowDeselect={false}
            data-testid="retention-period"
          />
          <NumberInput
            size="xs"
            w={110}
            label="Cohorts shown"
            min={2}
            max={31}
            value={rf.totalIntervals}
            onChange={(n) => typeof n === 'number' && n >= 2 && set({ totalIntervals: n }, { date_from: retentionDateFrom(rf.period, n) })}
            data-testid="retention-intervals"
          />
          <Switch size="xs" label="Came back in that period or later" checked={!!rf.cumulative} onChange={(e) => set({ cumulative: e.currentTarget.checked || undefined })} pb={6} />
        </Group>
      </Section>
    </Stack>
  );
}

// --- paths ---
const PATH_TYPES: { value: PathEventType; label: string }[] = [
  { value: '$pageview', label: 'Page views' },
  { value: '$screen', label: 'Screen views' },
  { value: 'custom_event', label: 'Other events' },
];

function PathsLeft({ projectId, query, onChange }: { projectId: string | number; query: PathsQuery; onChange: (q: InsightQuery) => void }) {
  const pf = query.pathsFilter;
  const set = (patch: Partial<PathsQuery['pathsFilter']>) => onChange({ ...query, pathsFilter: { ...pf, ...patch } });
  const events = useEventDefinitions(projectId);
  const types = pf.includeEventTypes ?? ['$pageview'];
  return (
    <Stack gap="md">
      <Section label="What makes a step">
        <Chip.Group multiple value={types} onChange={(v) => v.length && set({ includeEventTypes: v as PathEventType[] })}>
          <Group gap={6}>
            {PATH_TYPES.map((t) => (
              <Chip key={t.value} value={t.value} size="xs" data-testid={`path-type-${t.value}`}>
                {t.label}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      </Section>
      <Grid gap="xs">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput
            size="xs"
            label="Starting at"
            placeholder={types.includes('$pageview') ? 'https://example.com/pricing' : 'An event or screen'}
            value={pf.startPoint ?? ''}
            onChange={(e) => set({ startPoint: e.currentTarget.value || undefined })}
            description="A URL (no trailing slash), screen or event"
            data-testid="path-start"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput
            size="xs"
            label="Ending at"
            placeholder="Anywhere"
            value={pf.endPoint ?? ''}
            onChange={(e) => set({ endPoint: e.currentTarget.value || undefined })}
            description="Paths stop at the first visit"
            data-testid="path-end"
          />
        </Grid.Col>
      </Grid>
      <Group gap="md" align="flex-end" wrap="wrap">
        <NumberInput size="xs" w={110} label="Steps" min={2} max={20} value={pf.stepLimit ?? 5}
          onChange={(n) => typeof n === 'number' && n >= 2 && set({ stepLimit: n })} data-testid="path-steps" />
        <TagsInput
          size="xs"
          style={{ flex: 1, minWidth: 200 }}
          label="Leave out"
          placeholder="Pages or events to skip"
          value={pf.excludeEvents ?? []}
          onChange={(v) => set({ excludeEvents: v.length ? v : undefined })}
          data={(events.data?.results ?? []).map((e) => e.name)}
          data-testid="path-exclude"
        />
      </Group>
      <Text size="xs" c="dimmed">
        Each person's steps in time order, split into sessions at 30 minutes of quiet; repeated steps in a row count once.
      </Text>
    </Stack>
  );
}

// --- lifecycle ---
const STATUS_LABELS: Record<LifecycleStatus, string> = { new: 'New', returning: 'Returning', resurrecting: 'Resurrecting', dormant: 'Dormant' };

function LifecycleLeft({ projectId, query, onChange }: { projectId: string | number; query: LifecycleQuery; onChange: (q: InsightQuery) => void }) {
  const toggled = query.lifecycleFilter?.toggledLifecycles ?? LIFECYCLE_STATUSES;
  return (
    <Stack gap="md">
      <Section label="Persons who did" hint="New: first active period is the one they were created in. Returning: active in the period before too. Resurrecting: back after a gap. Dormant: active the period before, not in this one.">
        <SeriesEditor projectId={projectId} series={query.series} mode="lifecycle" onChange={(series) => onChange({ ...query, series })} />
      </Section>
      <Section label="Show">
        <Chip.Group
          multiple
          value={toggled}
          onChange={(v) => v.length && onChange({ ...query, lifecycleFilter: { toggledLifecycles: v.length === 4 ? undefined : (v as LifecycleStatus[]) } })}
        >
          <Group gap={6}>
            {LIFECYCLE_STATUSES.map((s) => (
              <Chip key={s} value={s} size="xs">
                {STATUS_LABELS[s]}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      </Section>
    </Stack>
  );
}
