import { ActionIcon, Autocomplete, Button, Group, NumberInput, Paper, SegmentedControl, Select, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { Operator } from '../../api';
import type { Cohort, CohortCriterion, CohortGroup, TimeInterval } from '../../api/cohorts';
import { OPERATOR_LABELS, operatorsFor } from '../../components/filters/operators';
import { useEventDefinitions, usePropertyDefinitions } from '../../lib/queries';
import { BEHAVIOURS, behaviourChoice, INTERVALS, newCriterion, newGroup, withBehaviour, type CriterionKind } from './model';
import classes from './cohorts.module.css';

type Behavioral = Extract<CohortCriterion, { type: 'behavioral' }>;

const KINDS: { value: CriterionKind; label: string }[] = [
  { value: 'behavioral', label: 'Behaviour' },
  { value: 'person', label: 'Person property' },
  { value: 'cohort', label: 'Cohort' },
];

const comboboxProps = { withinPortal: true };

/** Groups of criteria, joined by AND / OR at both levels, as PostHog's cohort editor has them. */
export function CriteriaEditor({
  projectId,
  value,
  onChange,
  cohorts,
}: {
  projectId: string | number;
  value: CohortGroup;
  onChange: (v: CohortGroup) => void;
  /** Cohorts a criterion may name (not the one being edited). */
  cohorts: Cohort[];
}) {
  const groups = value.values as CohortGroup[];
  const setGroup = (i: number, g: CohortGroup | null) =>
    onChange({ ...value, values: g ? groups.map((x, j) => (j === i ? g : x)) : groups.filter((_, j) => j !== i) });
  return (
    <Stack gap="sm" data-testid="criteria-editor">
      <Group gap="xs">
        <Text size="sm">Persons who match</Text>
        <SegmentedControl
          size="xs"
          value={value.type}
          onChange={(t) => onChange({ ...value, type: t as 'AND' | 'OR' })}
          data={[
            { value: 'OR', label: 'any' },
            { value: 'AND', label: 'all' },
          ]}
          aria-label="How groups combine"
          data-testid="groups-join"
        />
        <Text size="sm">of these groups</Text>
      </Group>
      {groups.map((g, i) => (
        <Stack key={i} gap={6}>
          {i > 0 && (
            <Text size="xs" fw={700} c="dimmed" className={classes.joiner}>
              {value.type === 'OR' ? 'OR' : 'AND'}
            </Text>
          )}
          <GroupCard projectId={projectId} index={i} group={g} onChange={(n) => setGroup(i, n)} cohorts={cohorts} removable={groups.length > 1} />
        </Stack>
      ))}
      <div>
        <Button size="xs" variant="default" leftSection={<IconPlus size={14} />} onClick={() => onChange({ ...value, values: [...groups, newGroup()] })} data-testid="add-group">
          Add group
        </Button>
      </div>
    </Stack>
  );
}

function GroupCard({
  projectId,
  index,
  group,
  onChange,
  cohorts,
  removable,
}: {
  projectId: string | number;
  index: number;
  group: CohortGroup;
  onChange: (g: CohortGroup | null) => void;
  cohorts: Cohort[];
  removable: boolean;
}) {
  const criteria = group.values as CohortCriterion[];
  const set = (i: number, c: CohortCriterion | null) =>
    onChange({ ...group, values: c ? criteria.map((x, j) => (j === i ? c : x)) : criteria.filter((_, j) => j !== i) });
  return (
    <Paper withBorder p="sm" radius="md" data-testid="criteria-group">
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <Text size="sm" fw={600}>
            Group {index + 1}
          </Text>
          <Text size="sm" c="dimmed">
            match
          </Text>
          <SegmentedControl
            size="xs"
            value={group.type}
            onChange={(t) => onChange({ ...group, type: t as 'AND' | 'OR' })}
            data={[
              { value: 'AND', label: 'all' },
              { value: 'OR', label: 'any' },
            ]}
            aria-label={`How group ${index + 1} combines its criteria`}
          />
          <Text size="sm" c="dimmed">
            of
          </Text>
        </Group>
        {removable && (
          <Tooltip label="Remove group" withArrow>
            <ActionIcon variant="subtle" color="gray" onClick={() => onChange(null)} aria-label={`Remove group ${index + 1}`}>
              <IconTrash size={15} />
            </ActionIcon>
          </Tooltip>
        )}
      </Group>
      <Stack gap={6}>
        {criteria.map((c, i) => (
          <CriterionRow
            key={i}
            projectId={projectId}
            value={c}
            onChange={(n) => set(i, n)}
            onRemove={criteria.length > 1 || removable ? () => set(i, null) : undefined}
            cohorts={cohorts}
          />
        ))}
      </Stack>
      <Button mt="xs" size="xs" variant="subtle" leftSection={<IconPlus size={14} />} onClick={() => onChange({ ...group, values: [...criteria, newCriterion()] })} data-testid="add-criterion">
        Add criterion
      </Button>
    </Paper>
  );
}

function CriterionRow({
  projectId,
  value,
  onChange,
  onRemove,
  cohorts,
}: {
  projectId: string | number;
  value: CohortCriterion;
  onChange: (c: CohortCriterion) => void;
  onRemove?: () => void;
  cohorts: Cohort[];
}) {
  return (
    <Group gap={6} align="flex-start" wrap="nowrap" className={classes.row} data-testid="criterion">
      <Group gap={6} wrap="wrap" style={{ flex: 1 }}>
        <Select
          size="xs"
          w={150}
          value={value.type}
          onChange={(k) => k && k !== value.type && onChange(newCriterion(k as CriterionKind))}
          data={KINDS}
          allowDeselect={false}
          aria-label="Criterion kind"
          comboboxProps={comboboxProps}
          data-testid="criterion-kind"
        />
        {value.type === 'behavioral' && <BehaviourFields projectId={projectId} value={value} onChange={onChange} />}
        {value.type === 'person' && <PersonFields projectId={projectId} value={value} onChange={onChange} />}
        {value.type === 'cohort' && (
          <>
            <Select
              size="xs"
              w={100}
              value={value.negation ? 'not_in' : 'in'}
              onChange={(v) => onChange({ ...value, negation: v === 'not_in' })}
              data={[
                { value: 'in', label: 'in' },
                { value: 'not_in', label: 'not in' },
              ]}
              allowDeselect={false}
              aria-label="In or not in"
              comboboxProps={comboboxProps}
            />
            <Select
              size="xs"
              w={240}
              placeholder={cohorts.length ? 'Choose a cohort' : 'No other cohort yet'}
              value={value.value ? String(value.value) : null}
              onChange={(v) => onChange({ ...value, value: Number(v ?? 0) })}
              data={cohorts.map((c) => ({ value: String(c.id), label: c.name }))}
              searchable
              aria-label="Cohort"
              comboboxProps={comboboxProps}
              data-testid="criterion-cohort"
            />
          </>
        )}
      </Group>
      {onRemove && (
        <Tooltip label="Remove criterion" withArrow>
          <ActionIcon variant="subtle" color="gray" mt={2} onClick={onRemove} aria-label="Remove criterion">
            <IconTrash size={14} />
          </ActionIcon>
        </Tooltip>
      )}
    </Group>
  );
}

function EventPicker({ projectId, value, onChange }: { projectId: string | number; value: string; onChange: (v: string) => void }) {
  const [typed] = useDebouncedValue(value, 200);
  const events = useEventDefinitions(projectId, typed);
  const names = (events.data?.results ?? []).map((e) => e.name);
  return (
    <Autocomplete size="xs" w={180} value={value} onChange={onChange} data={Array.from(new Set(names)).slice(0, 100)} placeholder="Event" aria-label="Event"
      comboboxProps={comboboxProps} data-testid="criterion-event" />
  );
}

function Window({ n, unit, onChange, label }: { n: number; unit: TimeInterval; onChange: (n: number, unit: TimeInterval) => void; label: string }) {
  return (
    <>
      <Text size="xs" c="dimmed" mt={6}>
        {label}
      </Text>
      <NumberInput size="xs" w={70} min={1} value={n} onChange={(v) => onChange(Number(v) || 0, unit)} aria-label={`${label}: how many`} data-testid="criterion-time" />
      <Select size="xs" w={100} value={unit} onChange={(u) => u && onChange(n, u as TimeInterval)} data={INTERVALS} allowDeselect={false}
        aria-label={`${label}: unit`} comboboxProps={comboboxProps} />
    </>
  );
}

function BehaviourFields({ projectId, value, onChange }: { projectId: string | number; value: Behavioral; onChange: (c: CohortCriterion) => void }) {
  const choice = behaviourChoice(value);
  const set = (patch: Partial<Behavioral>) => onChange({ ...value, ...patch });
  return (
    <>
      <Select size="xs" w={250} value={choice} onChange={(v) => v && onChange(withBehaviour(value, v))} data={BEHAVIOURS} allowDeselect={false}
        aria-label="Behaviour" comboboxProps={comboboxProps} data-testid="criterion-behaviour" />
      <EventPicker projectId={projectId} value={value.key} onChange={(key) => set({ key })} />
      {choice === 'performed_event_multiple' && (
        <>
          <Select size="xs" w={100} value={value.operator ?? 'gte'} onChange={(o) => o && set({ operator: o as Behavioral['operator'] })}
            data={[
              { value: 'gte', label: 'at least' },
              { value: 'exact', label: 'exactly' },
              { value: 'lte', label: 'at most' },
            ]}
            allowDeselect={false} aria-label="How often" comboboxProps={comboboxProps} />
          <NumberInput size="xs" w={70} min={0} value={value.operator_value ?? 1} onChange={(v) => set({ operator_value: Number(v) || 0 })} aria-label="Times"
            data-testid="criterion-count" />
          <Text size="xs" c="dimmed" mt={6}>
            times
          </Text>
        </>
      )}
      {choice === 'performed_event_regularly' ? (
        <>
          <Text size="xs" c="dimmed" mt={6}>in at least</Text>
          <NumberInput size="xs" w={60} min={1} value={value.min_periods ?? 1} onChange={(v) => set({ min_periods: Number(v) || 0 })} aria-label="Periods with the event" />
          <Text size="xs" c="dimmed" mt={6}>of the last</Text>
          <NumberInput size="xs" w={60} min={1} value={value.total_periods ?? 1} onChange={(v) => set({ total_periods: Number(v) || 0 })} aria-label="Periods looked at" />
          <Window label="periods of" n={value.time_value} unit={value.time_interval} onChange={(time_value, time_interval) => set({ time_value, time_interval })} />
        </>
      ) : (
        <Window label="in the last" n={value.time_value} unit={value.time_interval} onChange={(time_value, time_interval) => set({ time_value, time_interval })} />
      )}
      {(choice === 'stopped_performing_event' || choice === 'restarted_performing_event') && (
        <Window
          label={choice === 'stopped_performing_event' ? 'but not in the last' : 'with a gap, then again in the last'}
          n={value.seq_time_value ?? 1}
          unit={value.seq_time_interval ?? 'day'}
          onChange={(seq_time_value, seq_time_interval) => set({ seq_time_value, seq_time_interval })}
        />
      )}
    </>
  );
}

function PersonFields({ projectId, value, onChange }: { projectId: string | number; value: Extract<CohortCriterion, { type: 'person' }>; onChange: (c: CohortCriterion) => void }) {
  const [typed] = useDebouncedValue(value.key, 200);
  const defs = usePropertyDefinitions(projectId, 'person', typed);
  const definition = defs.data?.results.find((d) => d.name === value.key);
  const operators = operatorsFor(definition?.property_type ?? null).filter((o) => o !== 'between' && o !== 'not_between');
  const noValue = value.operator === 'is_set' || value.operator === 'is_not_set';
  const [text, setText] = useState(Array.isArray(value.value) ? value.value.join(', ') : value.value === undefined ? '' : String(value.value));
  return (
    <>
      <Autocomplete size="xs" w={170} value={value.key} onChange={(key) => onChange({ ...value, key })}
        data={Array.from(new Set((defs.data?.results ?? []).map((d) => d.name))).slice(0, 100)} placeholder="Property" aria-label="Person property"
        comboboxProps={comboboxProps} data-testid="criterion-property" />
      <Select size="xs" w={150} value={value.operator} onChange={(o) => o && onChange({ ...value, operator: o })}
        data={operators.map((o: Operator) => ({ value: o, label: OPERATOR_LABELS[o] }))} allowDeselect={false} aria-label="Operator"
        comboboxProps={comboboxProps} data-testid="criterion-operator" />
      {!noValue && (
        <TextInput size="xs" w={170} value={text} placeholder="Value"
          onChange={(e) => {
            const t = e.currentTarget.value;
            setText(t);
            const numeric = ['gt', 'gte', 'lt', 'lte'].includes(value.operator) && t.trim() !== '' && Number.isFinite(Number(t));
            onChange({ ...value, value: numeric ? Number(t) : t });
          }}
          aria-label="Value" data-testid="criterion-value" />
      )}
    </>
  );
}
