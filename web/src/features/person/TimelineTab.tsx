import { Anchor, Badge, Box, Button, Divider, Group, Paper, Skeleton, Stack, Switch, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconFingerprint, IconHistory } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { getTimeline, type Person, type SightlineEvent, type TimelinePage } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { EventIcon, PropertiesTable } from '../../components/EventBits';
import { TimeText } from '../../components/TimeText';
import { eventLabel, eventSummary } from '../../lib/events';
import { useLivePages } from '../../lib/live';
import { useProgressiveCount } from '../../lib/progressive';
import { absoluteTime, clockTime, formatDuration, shortDate } from '../../lib/time';
import { personKeys, useMerges, useTimeline } from './queries';
import { buildTimeline, mergeEventLists, sessionIndex, type EventRow, type MergeRow, type SessionBlock } from './timeline';
import classes from './timeline.module.css';

export function TimelineTab({ projectId, uuid, person }: { projectId: string | number; uuid: string; person?: Person }) {
  const timeline = useTimeline(projectId, uuid);
  const merges = useMerges(projectId, uuid);
  const [live, setLive] = useState(true);
  const pages = useMemo(() => timeline.data?.pages ?? [], [timeline.data]);
  const loaded = useMemo(() => pages.flatMap((p) => p.results), [pages]);
  const loadedUuids = useMemo(() => new Set(loaded.map((e) => e.uuid)), [loaded]);

  const fresh = useLivePages<SightlineEvent, TimelinePage>({
    scope: ['timeline', String(projectId), uuid],
    enabled: live && timeline.isSuccess,
    loadedNewest: loaded[0]?.timestamp,
    loadedUuids,
    fetchAfter: (after, signal) => getTimeline(projectId, uuid, { after, limit: 200 }, signal),
  });

  // New events move "last seen" in the header.
  const client = useQueryClient();
  const freshCount = fresh.freshEvents.length;
  useEffect(() => {
    if (freshCount) client.invalidateQueries({ queryKey: personKeys.latest(projectId, uuid) });
  }, [freshCount, client, projectId, uuid]);

  const items = useMemo(
    () =>
      buildTimeline({
        events: mergeEventLists(fresh.freshEvents, loaded),
        sessions: sessionIndex([...pages, ...fresh.pages]),
        merges: merges.data?.results ?? [],
        personDistinctIds: person?.distinct_ids ?? [],
        hasOlder: !!timeline.hasNextPage,
      }),
    [fresh.freshEvents, fresh.pages, loaded, pages, merges.data, person?.distinct_ids, timeline.hasNextPage],
  );

  // the newest rows first (events and merge lines), the rest a moment later
  const allRows = items.reduce((n, item) => n + (item.type === 'merge' ? 1 : item.rows.length), 0);
  let budget = useProgressiveCount(allRows);

  if (timeline.isPending) {
    return (
      <Stack gap="xs" aria-busy="true" aria-label="Loading timeline">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} height={34} />
        ))}
      </Stack>
    );
  }
  if (timeline.isError) return <ErrorAlert error={timeline.error} onRetry={() => timeline.refetch()} />;

  return (
    <Stack gap="sm" data-testid="timeline">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Newest first, grouped by session.
        </Text>
        <Switch
          size="sm"
          checked={live}
          onChange={(e) => setLive(e.currentTarget.checked)}
          label={live ? 'Live' : 'Paused'}
          aria-label="Show new events as they arrive"
          data-testid="timeline-live"
        />
      </Group>
      {merges.isError && <ErrorAlert error={merges.error} title="The merge history could not be loaded" />}
      {fresh.error ? <ErrorAlert error={fresh.error} title="Live updates stopped" /> : null}
      {items.length === 0 && (
        <EmptyState icon={<IconHistory size={22} />} title="No events for this person yet" testId="timeline-empty">
          Events sent with any of this person’s distinct IDs show up here within a few seconds.
        </EmptyState>
      )}
      {items.map((item) => {
        if (budget <= 0) return null;
        if (item.type === 'merge') {
          budget -= 1;
          return <MergeDivider key={item.key} row={item} />;
        }
        const limit = budget;
        budget -= item.rows.length;
        return <Session key={item.key} block={item} fresh={fresh.freshUuids} limit={limit} />;
      })}
      {timeline.hasNextPage && (
        <Group justify="center">
          <Button variant="light" size="xs" onClick={() => timeline.fetchNextPage()} loading={timeline.isFetchingNextPage} data-testid="load-older">
            Load older events
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function Session({ block, fresh, limit }: { block: SessionBlock; fresh: Set<string>; limit: number }) {
  const sameDay = new Date(block.start).toDateString() === new Date(block.end).toDateString();
  return (
    <Paper withBorder radius="md" data-testid="timeline-session" className={classes.session}>
      <Group className={classes.sessionHeader} justify="space-between" wrap="wrap" gap="xs">
        <Group gap="xs" wrap="wrap">
          <Text size="sm" fw={600}>
            {shortDate(block.end)}
          </Text>
          <Text size="sm" c="dimmed">
            {block.start === block.end
              ? clockTime(block.start)
              : `${clockTime(block.start)} – ${sameDay ? clockTime(block.end) : `${shortDate(block.end)} ${clockTime(block.end)}`}`}
          </Text>
        </Group>
        <Group gap={6} wrap="wrap">
          {block.eventCount > 1 && (
            <Badge variant="default" size="sm" radius="sm" tt="none" data-testid="session-duration">
              {formatDuration(block.durationMs)}
            </Badge>
          )}
          <Badge variant="default" size="sm" radius="sm" tt="none">
            {block.eventCount} {block.eventCount === 1 ? 'event' : 'events'}
          </Badge>
          <Tooltip label={block.sessionId ? `Session ${block.sessionId}` : 'These events carry no session ID'} withArrow>
            <Text size="xs" c="dimmed" ff="monospace" className={classes.sessionId}>
              {block.sessionId ? block.sessionId.slice(-8) : 'no session'}
            </Text>
          </Tooltip>
        </Group>
      </Group>
      <div role="list">
        {block.rows.slice(0, limit).map((row) =>
          row.type === 'merge' ? (
            <MergeDivider key={row.key} row={row} inside />
          ) : (
            <EventLine key={row.event.uuid} row={row} isNew={fresh.has(row.event.uuid)} />
          ),
        )}
      </div>
    </Paper>
  );
}

function EventLine({ row, isNew }: { row: EventRow; isNew: boolean }) {
  const [open, setOpen] = useState(false);
  const e = row.event;
  const summary = eventSummary(e.event, e.properties);
  return (
    <div
      role="listitem"
      className={`${classes.row} ${row.beforeIdentificationAs ? classes.anon : ''} ${isNew ? 'sl-new' : ''}`}
      data-testid="timeline-event"
      data-uuid={e.uuid}
      data-before-identification={row.beforeIdentificationAs ? 'true' : undefined}
    >
      <UnstyledButton className={classes.rowButton} onClick={() => setOpen((o) => !o)} aria-expanded={open} aria-label={`${eventLabel(e.event)} at ${absoluteTime(e.timestamp)}; ${open ? 'hide' : 'show'} properties`}>
        <Group gap="sm" wrap="nowrap">
          {open ? <IconChevronDown size={14} className={classes.chev} /> : <IconChevronRight size={14} className={classes.chev} />}
          <EventIcon name={e.event} />
          <Text size="sm" fw={500} className={classes.name} title={e.event}>
            {eventLabel(e.event)}
          </Text>
          <Text size="xs" c="dimmed" className={classes.summary} title={summary}>
            {summary}
          </Text>
          {row.beforeIdentificationAs && (
            <Badge
              size="xs"
              variant="light"
              color="yellow"
              className={classes.badge}
              maw={280}
              title={`Sent as ${e.distinct_id}, before this person was identified as ${row.beforeIdentificationAs}${row.mergedAt ? ` (${absoluteTime(row.mergedAt)})` : ''}`}
              data-testid="before-identification"
            >
              <span className={classes.badgeLong}>before identification as {row.beforeIdentificationAs}</span>
              <span className={classes.badgeShort}>anonymous</span>
            </Badge>
          )}
          <Text size="xs" c="dimmed" className={classes.time} title={absoluteTime(e.timestamp)}>
            {clockTime(e.timestamp)}
          </Text>
        </Group>
      </UnstyledButton>
      {open && (
        <Box px="md" pb="sm" pl={48}>
          <Group gap="xs" mb={4}>
            <Text size="xs" c="dimmed">
              Distinct ID <Text span ff="monospace" size="xs">{e.distinct_id}</Text> · <TimeText value={e.timestamp} size="xs" />
            </Text>
          </Group>
          <PropertiesTable properties={e.properties} testId="event-properties" />
        </Box>
      )}
    </div>
  );
}

function MergeDivider({ row, inside }: { row: MergeRow; inside?: boolean }) {
  const m = row.merge;
  return (
    <Box px={inside ? 'md' : 0} py={4} data-testid="merge-divider">
      <Divider
        color="grape"
        variant="dashed"
        labelPosition="center"
        label={
          <Group gap={6} wrap="nowrap">
            <IconFingerprint size={14} color="var(--mantine-color-grape-6)" />
            <Text size="xs" fw={500} c="grape">
              Identified as {row.identifiedAs} — merged <TimeText value={m.at} size="xs" />
            </Text>
            {m.distinct_ids.length > 0 && (
              <Text size="xs" c="dimmed" visibleFrom="sm">
                brought {m.distinct_ids.join(', ')}
              </Text>
            )}
            {m.event_uuid && (
              <Anchor size="xs" href={`#event-${m.event_uuid}`} visibleFrom="sm" onClick={(ev) => { ev.preventDefault(); document.querySelector(`[data-uuid="${m.event_uuid}"] button`)?.scrollIntoView({ block: 'center' }); }}>
                trigger event
              </Anchor>
            )}
          </Group>
        }
      />
    </Box>
  );
}
