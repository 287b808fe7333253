import { Anchor, Box, Button, Group, Select, Skeleton, Stack, Switch, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChevronDown, IconChevronRight, IconListSearch, IconUser } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { Fragment, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { listEvents, type Page, type SightlineEvent } from '../../api';
import { ColumnChooser } from '../../components/ColumnChooser';
import { CodeBlock } from '../../components/CopyField';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { GeoAttribution } from '../../components/GeoAttribution';
import { EventIcon } from '../../components/EventBits';
import { PropertyFilterEditor } from '../../components/filters/PropertyFilterEditor';
import { Onboarding } from '../../components/Onboarding';
import { TimeText } from '../../components/TimeText';
import { eventLabel } from '../../lib/events';
import { useLivePages } from '../../lib/live';
import { useProgressiveCount } from '../../lib/progressive';
import { personDisplayName } from '../../lib/properties';
import { keys, useEventDefinitions, usePropertyDefinitions } from '../../lib/queries';
import { isoToLocalInput, localInputToIso } from '../../lib/time';
import { decodeList, encodeList, useUrlFilters, useUrlParams } from '../../lib/urlState';
import { useCurrentProject } from '../shell/context';
import tableClasses from '../../components/table.module.css';
import { DEFAULT_EVENT_COLUMNS, describeEventColumn, EVENT_BUILTINS, eventColumnText, hasProfile, urlOrScreen } from './columns';
import { eventsQueryFromParams, useEventsList } from './queries';

/** Fixed widths for the short built-in columns; the others share what is left. */
const EVENT_COLUMN_WIDTH: Record<string, number> = { person: 180, city: 140, browser: 130, time: 110 };

export default function EventsPage() {
  const { project } = useCurrentProject();
  const client = useQueryClient();
  const [params, update] = useUrlParams();
  const [filters, setFilters] = useUrlFilters();
  const eventName = params.get('event') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const liveWanted = params.get('live') !== '0';
  const live = liveWanted && !to;
  const columns = decodeList(params.get('columns'))?.filter(Boolean) ?? DEFAULT_EVENT_COLUMNS;
  const shownColumns = columns.length ? columns : DEFAULT_EVENT_COLUMNS;

  // the same reading of the URL as the app's early start, so its request is the one found here
  const query = useMemo(() => eventsQueryFromParams(params), [params]);
  const events = useEventsList(project.id, query);
  const pages = useMemo(() => events.data?.pages ?? [], [events.data]);
  const loaded = useMemo(() => pages.flatMap((p) => p.results), [pages]);
  const loadedUuids = useMemo(() => new Set(loaded.map((e) => e.uuid)), [loaded]);
  const fresh = useLivePages<SightlineEvent, Page<SightlineEvent>>({
    scope: ['events', String(project.id), query],
    enabled: live && events.isSuccess && !events.isPlaceholderData,
    loadedNewest: loaded[0]?.timestamp ?? (from || undefined),
    loadedUuids,
    fetchAfter: (after, signal) => listEvents(project.id, { ...query, after: after ?? query.after, limit: 200 }, signal),
  });
  const rows = useMemo(() => {
    const seen = new Set<string>();
    return [...fresh.freshEvents, ...loaded].filter((e) => (seen.has(e.uuid) ? false : (seen.add(e.uuid), true)));
  }, [fresh.freshEvents, loaded]);

  // The first event of a fresh project: the onboarding state can go.
  useEffect(() => {
    if (!project.has_events && rows.length > 0) client.invalidateQueries({ queryKey: keys.project(project.id) });
  }, [project.has_events, project.id, rows.length, client]);

  const narrowed = !!eventName || filters.length > 0 || !!from || !!to;
  const showOnboarding = !project.has_events && !events.isPending && rows.length === 0 && !narrowed;

  return (
    <Stack gap="md" data-testid="events-page">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={1}>Events</Title>
          <Text size="sm" c="dimmed">
            Every event as it arrives, newest first.
          </Text>
        </div>
        <Tooltip label={to ? 'Live updates need an open-ended range: clear “To”' : 'Show new events as they arrive'} withArrow>
          <div>
            <Switch
              checked={live}
              disabled={!!to}
              onChange={(e) => update({ live: e.currentTarget.checked ? null : '0' }, { replace: true })}
              label={
                <Group gap={6}>
                  {live && <span className="sl-live-dot" aria-hidden="true" />}
                  {live ? 'Live' : 'Paused'}
                </Group>
              }
              aria-label="Live updates"
              data-testid="events-live"
            />
          </div>
        </Tooltip>
      </Group>

      {showOnboarding ? (
        <Onboarding project={project} />
      ) : (
        <>
          <Group gap="sm" align="flex-end" wrap="wrap">
            <EventNameSelect projectId={project.id} value={eventName} onChange={(v) => update({ event: v || null })} />
            <TextInput
              type="datetime-local"
              label="From"
              size="xs"
              value={isoToLocalInput(from)}
              onChange={(e) => update({ from: localInputToIso(e.currentTarget.value) ?? null }, { replace: true })}
              data-testid="events-from"
            />
            <TextInput
              type="datetime-local"
              label="To"
              size="xs"
              value={isoToLocalInput(to)}
              onChange={(e) => update({ to: localInputToIso(e.currentTarget.value) ?? null }, { replace: true })}
              data-testid="events-to"
            />
            <ColumnChooser
              columns={shownColumns}
              defaults={DEFAULT_EVENT_COLUMNS}
              onChange={(c) => update({ columns: encodeList(c) })}
              builtins={EVENT_BUILTINS}
              describe={describeEventColumn}
              useSuggestions={(s) => useEventColumnSuggestions(project.id, s)}
            />
          </Group>
          <PropertyFilterEditor projectId={project.id} value={filters} onChange={setFilters} types={['event', 'person']} />
          {events.isError && <ErrorAlert error={events.error} onRetry={() => events.refetch()} />}
          {fresh.error ? <ErrorAlert error={fresh.error} title="Live updates stopped" /> : null}
          <EventsTable
            rows={rows}
            columns={shownColumns}
            loading={events.isPending}
            fresh={fresh.freshUuids}
            projectId={project.id}
            narrowed={narrowed}
            onClear={() => update({ event: null, filters: null, from: null, to: null })}
          />
          <Group justify="space-between">
            <Group gap="md">
              <Text size="xs" c="dimmed">
                {events.isPending ? ' ' : `${rows.length.toLocaleString()} shown${events.hasNextPage ? ', older ones to load' : ''}`}
              </Text>
              {shownColumns.includes('city') && <GeoAttribution />}
            </Group>
            {events.hasNextPage && (
              <Button size="xs" variant="light" onClick={() => events.fetchNextPage()} loading={events.isFetchingNextPage} data-testid="load-more">
                Load more
              </Button>
            )}
          </Group>
        </>
      )}
    </Stack>
  );
}

function EventNameSelect({ projectId, value, onChange }: { projectId: number | string; value: string; onChange: (v: string | null) => void }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 200);
  const defs = useEventDefinitions(projectId, debounced === value ? '' : debounced);
  const data = useMemo(() => {
    const names = (defs.data?.results ?? []).map((d) => d.name);
    if (value && !names.includes(value)) names.unshift(value);
    return names.map((n) => ({ value: n, label: eventLabel(n) === n ? n : `${eventLabel(n)} (${n})` }));
  }, [defs.data, value]);
  return (
    <Select
      label="Event"
      placeholder="All events"
      size="xs"
      w={220}
      searchable
      clearable
      value={value || null}
      onChange={onChange}
      onSearchChange={setSearch}
      data={data}
      nothingFoundMessage={defs.isFetching ? 'Loading…' : 'No event with that name'}
      data-testid="event-select"
    />
  );
}

function useEventColumnSuggestions(projectId: number | string, search: string): string[] {
  const defs = usePropertyDefinitions(projectId, 'event', search);
  return useMemo(() => (defs.data?.results ?? []).map((d) => d.name), [defs.data]);
}

function EventsTable({
  rows,
  columns,
  loading,
  fresh,
  projectId,
  narrowed,
  onClear,
}: {
  rows: SightlineEvent[];
  columns: string[];
  loading: boolean;
  fresh: Set<string>;
  projectId: number | string;
  narrowed: boolean;
  onClear: () => void;
}) {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (uuid: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(uuid)) next.delete(uuid);
      else next.add(uuid);
      return next;
    });
  const span = columns.length + 1;
  const shown = rows.slice(0, useProgressiveCount(rows.length));

  return (
    <Table.ScrollContainer minWidth={Math.max(760, columns.length * 140)} maxHeight="calc(100dvh - 290px)" type="native">
      <Table
        stickyHeader
        highlightOnHover
        verticalSpacing={5}
        horizontalSpacing="xs"
        fz="sm"
        className={`${tableClasses.table} ${tableClasses.fixed}`}
        data-testid="events-table"
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={28}>
              <span style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>Expand</span>
            </Table.Th>
            {columns.map((c) => (
              <Table.Th key={c} title={c} w={EVENT_COLUMN_WIDTH[c]}>
                {describeEventColumn(c)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {loading &&
            Array.from({ length: 10 }, (_, i) => (
              <Table.Tr key={i}>
                <Table.Td />
                {columns.map((c) => (
                  <Table.Td key={c}>
                    <Skeleton height={14} my={3} width="70%" />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          {!loading && rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={span}>
                <EmptyState
                  icon={<IconListSearch size={22} />}
                  title={narrowed ? 'No events match' : 'No events yet'}
                  testId="events-empty"
                  actions={
                    narrowed ? (
                      <Button size="xs" variant="default" onClick={onClear}>
                        Clear event, filters and range
                      </Button>
                    ) : undefined
                  }
                >
                  {narrowed ? 'Widen the time range or remove a filter.' : 'New events appear here a few seconds after they are sent.'}
                </EmptyState>
              </Table.Td>
            </Table.Tr>
          )}
          {!loading &&
            shown.map((e) => {
              const isOpen = open.has(e.uuid);
              return (
                <Fragment key={e.uuid}>
                  <Table.Tr
                    className={`${tableClasses.clickable} ${fresh.has(e.uuid) ? 'sl-new' : ''}`}
                    onClick={() => toggle(e.uuid)}
                    onKeyDown={(ev) => {
                      if ((ev.key === 'Enter' || ev.key === ' ') && ev.target === ev.currentTarget) {
                        ev.preventDefault();
                        toggle(e.uuid);
                      }
                    }}
                    tabIndex={0}
                    aria-expanded={isOpen}
                    aria-label={`${eventLabel(e.event)}, ${e.timestamp}`}
                    data-testid="event-row"
                    data-uuid={e.uuid}
                  >
                    <Table.Td>{isOpen ? <IconChevronDown size={14} style={{ display: "block" }} /> : <IconChevronRight size={14} style={{ display: "block" }} />}</Table.Td>
                    {columns.map((c) => (
                      <Table.Td key={c}>{eventCell(e, c, projectId)}</Table.Td>
                    ))}
                  </Table.Tr>
                  {isOpen && (
                    <Table.Tr data-testid="event-detail">
                      <Table.Td colSpan={span} style={{ background: 'var(--mantine-color-default-hover)' }}>
                        <Box py={6}>
                          <Group gap="sm" mb={6}>
                            {hasProfile(e) && (
                              <Anchor component={Link} to={`/project/${projectId}/person/${e.person_id}`} size="sm" data-testid="event-person-link">
                                <Group gap={4} component="span">
                                  <IconUser size={14} /> Open person
                                </Group>
                              </Anchor>
                            )}
                            <Text size="xs" c="dimmed" ff="monospace">
                              {e.uuid}
                            </Text>
                          </Group>
                          <CodeBlock code={JSON.stringify(e, null, 2)} label="Event JSON" maxHeight={420} />
                        </Box>
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              );
            })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function eventCell(e: SightlineEvent, column: string, projectId: number | string) {
  switch (column) {
    case 'event':
      return (
        <Group gap={8} wrap="nowrap">
          <EventIcon name={e.event} />
          <Text size="sm" fw={500} className={tableClasses.truncate} title={e.event}>
            {eventLabel(e.event)}
          </Text>
        </Group>
      );
    case 'person': {
      const name = personDisplayName({ name: '', properties: e.person_properties, distinct_ids: [e.distinct_id] });
      return hasProfile(e) ? (
        <Anchor component={Link} to={`/project/${projectId}/person/${e.person_id}`} size="sm" className={tableClasses.truncateSm} onClick={(ev) => ev.stopPropagation()}>
          {name}
        </Anchor>
      ) : (
        <Text size="sm" ff="monospace" c="dimmed" className={tableClasses.truncateSm} title={`${e.distinct_id} (no person profile)`}>
          {e.distinct_id}
        </Text>
      );
    }
    case 'url': {
      const u = urlOrScreen(e);
      return (
        <Text size="sm" c={u ? undefined : 'dimmed'} className={tableClasses.truncateMd} title={u ?? ''}>
          {u ?? '—'}
        </Text>
      );
    }
    case 'city':
    case 'browser': {
      const v = e.properties[column === 'city' ? '$geoip_city_name' : '$browser'];
      return (
        <Text size="sm" className={tableClasses.truncateSm} c={v === undefined ? 'dimmed' : undefined} title={v === undefined ? '' : String(v)}>
          {v === undefined ? '—' : String(v)}
        </Text>
      );
    }
    case 'time':
      return <TimeText value={e.timestamp} size="sm" />;
    default: {
      const v = eventColumnText(e, column);
      return (
        <Text size="sm" c={v === null ? 'dimmed' : undefined} className={tableClasses.truncate} title={v ?? ''}>
          {v ?? '—'}
        </Text>
      );
    }
  }
}
