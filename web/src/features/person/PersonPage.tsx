import { Anchor, Badge, Breadcrumbs, Button, Group, Paper, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconClock, IconDeviceDesktop, IconFingerprint, IconList, IconMapPin, IconTimeline, IconAlertOctagon, IconUserOff } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { GeoAttribution } from '../../components/GeoAttribution';
import { PersonAvatar } from '../../components/PersonsTable';
import { TimeText } from '../../components/TimeText';
import { deviceOf, locationOf, personDisplayName } from '../../lib/properties';
import { useUrlParams } from '../../lib/urlState';
import { useCurrentProject } from '../shell/context';
import { DangerZone } from './DangerZone';
import { IdentityTab } from './IdentityTab';
import { PropertiesTab } from './PropertiesTab';
import { mergesOptions, timelineOptions, useLatestEvent, usePerson } from './queries';
import { TimelineTab } from './TimelineTab';
import classes from './person.module.css';

const TABS = ['timeline', 'properties', 'identity', 'danger'] as const;
type Tab = (typeof TABS)[number];

export default function PersonPage() {
  const { project } = useCurrentProject();
  const { uuid = '' } = useParams();
  const [params, update] = useUrlParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'timeline';
  const person = usePerson(project.id, uuid);
  const latest = useLatestEvent(project.id, uuid, person.isSuccess);
  // Opened from a list: the timeline and its merges are asked for beside the person, not after it.
  const client = useQueryClient();
  const openedOn = useRef(tab);
  useEffect(() => {
    if (openedOn.current !== 'timeline') return;
    void client.prefetchInfiniteQuery(timelineOptions(project.id, uuid));
    void client.prefetchQuery(mergesOptions(project.id, uuid));
  }, [client, project.id, uuid]);

  const crumbs = (
    <Breadcrumbs separator="/" fz="sm">
      <Anchor component={Link} to={`/project/${project.id}/persons`} size="sm">
        Persons
      </Anchor>
      <Text size="sm" c="dimmed" truncate maw={300}>
        {person.data ? personDisplayName(person.data) : uuid}
      </Text>
    </Breadcrumbs>
  );

  if (person.isError) {
    const missing = person.error instanceof ApiError && person.error.status === 404;
    return (
      <Stack data-testid="person-page" gap="md">
        {crumbs}
        {missing ? (
          <EmptyState
            icon={<IconUserOff size={22} />}
            title="No profile for this person"
            testId="person-missing"
            actions={
              <Button component={Link} to={`/project/${project.id}/persons`} variant="default">
                Back to persons
              </Button>
            }
          >
            The person was deleted, split, or never had a profile: with <code>person_profiles: 'identified_only'</code>, anonymous
            visitors get one only once they are identified. Their events are still in Events.
          </EmptyState>
        ) : (
          <ErrorAlert error={person.error} onRetry={() => person.refetch()} />
        )}
      </Stack>
    );
  }

  const p = person.data;
  const newest = latest.data ?? null;
  const location = locationOf(newest?.properties) ?? locationOf(p?.properties);
  const device = deviceOf(newest?.properties);

  return (
    <Stack data-testid="person-page" gap="md">
      {crumbs}
      <Paper withBorder radius="md" p="md">
        {!p ? (
          <Group>
            <Skeleton circle height={56} />
            <Stack gap={6} style={{ flex: 1 }}>
              <Skeleton height={22} width={240} />
              <Skeleton height={14} width={420} />
            </Stack>
          </Group>
        ) : (
          <Group align="flex-start" wrap="nowrap" gap="md">
            <PersonAvatar person={p} size="lg" />
            <Stack gap={6} style={{ minWidth: 0, flex: 1 }}>
              <Group gap="xs" wrap="wrap">
                <Title order={1} size="h2" style={{ wordBreak: 'break-word' }} data-testid="person-name">
                  {personDisplayName(p)}
                </Title>
                {p.is_identified ? (
                  <Badge color="teal" variant="light" leftSection={<IconFingerprint size={12} />} data-testid="identified-badge">
                    Identified
                  </Badge>
                ) : (
                  <Badge color="gray" variant="light">
                    Anonymous
                  </Badge>
                )}
              </Group>
              <Group gap="lg" wrap="wrap" style={{ rowGap: 4 }}>
                <Fact icon={<IconClock size={14} />} label="Profile created">
                  <TimeText value={p.created_at} size="sm" />
                </Fact>
                <Fact icon={<IconClock size={14} />} label="Last seen">
                  {latest.isPending ? <Skeleton height={12} width={60} /> : <TimeText value={newest?.timestamp} size="sm" />}
                </Fact>
                {location && (
                  <Fact icon={<IconMapPin size={14} />} label="Location">
                    <Text size="sm">{location}</Text>
                  </Fact>
                )}
                {device && (
                  <Fact icon={<IconDeviceDesktop size={14} />} label="Device">
                    <Text size="sm">{device}</Text>
                  </Fact>
                )}
              </Group>
              <Group gap="xs" wrap="wrap">
                <Text size="xs" c="dimmed">
                  {p.distinct_ids.length === 1 ? 'Distinct ID' : `${p.distinct_ids.length} distinct IDs`}:
                </Text>
                <Text size="xs" ff="monospace" truncate maw={520} title={p.distinct_ids.join(', ')}>
                  {p.distinct_ids.slice(0, 3).join(', ')}
                  {p.distinct_ids.length > 3 ? ', …' : ''}
                </Text>
              </Group>
              {location && <GeoAttribution />}
            </Stack>
          </Group>
        )}
      </Paper>

      <Tabs value={tab} onChange={(v) => update({ tab: v === 'timeline' ? null : v }, { replace: true })} keepMounted={false}>
        <Tabs.List aria-label="Person sections" className={classes.tabs}>
          <Tabs.Tab value="timeline" leftSection={<IconTimeline size={14} />} data-testid="tab-timeline">
            Timeline
          </Tabs.Tab>
          <Tabs.Tab value="properties" leftSection={<IconList size={14} />} data-testid="tab-properties">
            Properties {p && <Badge size="xs" variant="light" ml={4}>{Object.keys(p.properties).length}</Badge>}
          </Tabs.Tab>
          <Tabs.Tab value="identity" leftSection={<IconFingerprint size={14} />} data-testid="tab-identity">
            Identity
          </Tabs.Tab>
          <Tabs.Tab value="danger" color="red" leftSection={<IconAlertOctagon size={14} />} data-testid="tab-danger">
            Danger zone
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="timeline" pt="md">
          {p ? <TimelineTab projectId={project.id} uuid={uuid} person={p} /> : <Skeleton height={200} />}
        </Tabs.Panel>
        <Tabs.Panel value="properties" pt="md">
          {p ? <PropertiesTab projectId={project.id} person={p} /> : <Skeleton height={200} />}
        </Tabs.Panel>
        <Tabs.Panel value="identity" pt="md">
          {p ? <IdentityTab projectId={project.id} person={p} /> : <Skeleton height={200} />}
        </Tabs.Panel>
        <Tabs.Panel value="danger" pt="md">
          {p ? <DangerZone projectId={project.id} person={p} /> : <Skeleton height={200} />}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Fact({ icon, label, children }: { icon: ReactNode; label: string; children: ReactNode }) {
  return (
    <Group gap={6} wrap="nowrap" c="dimmed">
      {icon}
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" c="var(--mantine-color-text)" component="div">
        {children}
      </Text>
    </Group>
  );
}
