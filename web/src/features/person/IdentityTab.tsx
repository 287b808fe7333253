import { Alert, Anchor, Badge, Button, Code, Group, Modal, Paper, Radio, Skeleton, Stack, Text, Timeline, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconArrowsSplit, IconFingerprint, IconGitMerge } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { getEvent, type Merge, type Person } from '../../api';
import { CodeBlock, CopyIcon } from '../../components/CopyField';
import { ErrorAlert } from '../../components/ErrorAlert';
import { TimeText } from '../../components/TimeText';
import { primaryDistinctId } from '../../lib/properties';
import { absoluteTime } from '../../lib/time';
import { useMerges, useSplit } from './queries';

interface SplitState {
  splitInto?: string[];
}

export function IdentityTab({ projectId, person }: { projectId: string | number; person: Person }) {
  const merges = useMerges(projectId, person.uuid);
  const location = useLocation();
  const splitInto = (location.state as SplitState | null)?.splitInto?.filter((uuid) => uuid !== person.uuid);
  const [eventUuid, setEventUuid] = useState<string | null>(null);

  return (
    <Stack gap="lg" data-testid="person-identity">
      {splitInto && splitInto.length > 0 && (
        <Alert color="teal" variant="light" title="Split done" data-testid="split-result">
          <Text size="sm">{splitInto.length === 1 ? 'The other distinct ID is now its own person:' : 'The other distinct IDs are now these persons:'}</Text>
          <Stack gap={2} mt={4}>
            {splitInto.map((uuid) => (
              <Anchor key={uuid} component={Link} to={`/project/${projectId}/person/${uuid}`} size="sm" ff="monospace" data-testid="split-person-link">
                {uuid}
              </Anchor>
            ))}
          </Stack>
        </Alert>
      )}

      <section aria-labelledby="distinct-ids">
        <Title order={2} size="h3" id="distinct-ids" mb="xs">
          Distinct IDs
        </Title>
        <Paper withBorder radius="md">
          {person.distinct_ids.map((id, i) => (
            <Group key={id} justify="space-between" px="sm" py={6} style={i ? { borderTop: '1px solid var(--mantine-color-default-border)' } : undefined} data-testid="distinct-id">
              <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                {id}
              </Text>
              <CopyIcon value={id} label={`Copy ${id}`} />
            </Group>
          ))}
        </Paper>
      </section>

      <section aria-labelledby="merge-history">
        <Title order={2} size="h3" id="merge-history" mb="xs">
          Merge history
        </Title>
        {merges.isPending ? (
          <Skeleton height={120} />
        ) : merges.isError ? (
          <ErrorAlert error={merges.error} onRetry={() => merges.refetch()} />
        ) : merges.data.results.length === 0 ? (
          <Text size="sm" c="dimmed">
            {person.distinct_ids.length > 1
              ? 'No merges between persons: the other IDs joined this person when it was identified (see the timeline).'
              : 'No merges: this person has had one identity since it was created.'}
          </Text>
        ) : (
          <Timeline bulletSize={24} lineWidth={2} active={merges.data.results.length} data-testid="merge-history">
            {merges.data.results.map((m, i) => (
              <Timeline.Item key={`${m.at}-${i}`} bullet={m.kind === 'split' ? <IconArrowsSplit size={13} /> : <IconGitMerge size={13} />} title={<MergeTitle merge={m} />}>
                <Text size="xs" c="dimmed">
                  {absoluteTime(m.at)} · <TimeText value={m.at} size="xs" />
                </Text>
                {m.distinct_ids.length > 0 && (
                  <Group gap={4} mt={4}>
                    <Text size="xs">{m.kind === 'split' ? 'Took out' : 'Brought'}:</Text>
                    {m.distinct_ids.map((id) => (
                      <Code key={id} fz="xs">
                        {id}
                      </Code>
                    ))}
                  </Group>
                )}
                {m.event_uuid && (
                  <Anchor component="button" type="button" size="xs" mt={4} onClick={() => setEventUuid(m.event_uuid)} data-testid="merge-trigger">
                    See the event that triggered it
                  </Anchor>
                )}
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </section>

      <SplitSection projectId={projectId} person={person} />

      <Modal opened={eventUuid !== null} onClose={() => setEventUuid(null)} title="Trigger event" size="lg">
        {eventUuid && <EventJson projectId={projectId} uuid={eventUuid} />}
      </Modal>
    </Stack>
  );
}

const MERGE_KINDS: Record<string, string> = { merge: 'Merged', identify: 'Identified', alias: 'Aliased', split: 'Split' };

function MergeTitle({ merge }: { merge: Merge }) {
  const kind = MERGE_KINDS[merge.kind] ?? merge.kind;
  return (
    <Group gap={6}>
      <Text size="sm" fw={600}>
        {kind}
      </Text>
      {merge.rule && (
        <Badge size="xs" variant="light" tt="none">
          {merge.rule}
        </Badge>
      )}
    </Group>
  );
}

function EventJson({ projectId, uuid }: { projectId: string | number; uuid: string }) {
  const event = useQuery({ queryKey: ['event', String(projectId), uuid], queryFn: () => getEvent(projectId, uuid) });
  if (event.isPending) return <Skeleton height={200} />;
  if (event.isError) return <ErrorAlert error={event.error} />;
  return <CodeBlock code={JSON.stringify(event.data, null, 2)} label="Event JSON" maxHeight={480} />;
}

function SplitSection({ projectId, person }: { projectId: string | number; person: Person }) {
  // the id the person chose (a user id, an email) stays by default, not a device's UUID
  const [main, setMain] = useState(primaryDistinctId(person.distinct_ids) ?? '');
  const split = useSplit(projectId, person.uuid);
  const navigate = useNavigate();
  const canSplit = person.distinct_ids.length > 1;
  const others = person.distinct_ids.filter((id) => id !== main);

  const confirm = () =>
    modals.openConfirmModal({
      title: 'Split this person?',
      children: (
        <Stack gap="xs">
          <Text size="sm">
            <Code>{main}</Code> stays with this person, with its properties.
          </Text>
          <Text size="sm">
            {others.length === 1 ? 'The other distinct ID becomes a new person' : `Each of the other ${others.length} distinct IDs becomes a new person`}, with its own events:{' '}
            {others.map((id) => (
              <Code key={id} mr={4}>
                {id}
              </Code>
            ))}
          </Text>
          <Text size="sm" c="dimmed">
            The merge history keeps a record of the split. The IDs can merge again if a later event identifies them together.
          </Text>
        </Stack>
      ),
      labels: { confirm: 'Split person', cancel: 'Cancel' },
      confirmProps: { color: 'orange', 'data-testid': 'confirm-split' } as never,
      onConfirm: () =>
        split.mutate(main, {
          onSuccess: (result) => {
            // The person keeps its uuid and the chosen id; the others became the persons listed.
            navigate(`/project/${projectId}/person/${person.uuid}?tab=identity`, { replace: true, state: { splitInto: result.persons } satisfies SplitState });
          },
        }),
    });

  return (
    <section aria-labelledby="split">
      <Title order={2} size="h3" id="split" mb="xs">
        Split
      </Title>
      <Paper withBorder radius="md" p="md">
        {!canSplit ? (
          <Text size="sm" c="dimmed">
            This person has one distinct ID, so there is nothing to split.
          </Text>
        ) : (
          <Stack gap="sm">
            <Text size="sm">
              If two people were merged by mistake, split them. Choose the distinct ID that stays with this person; every other ID becomes a separate person.
            </Text>
            <Radio.Group value={main} onChange={setMain} label="Distinct ID that stays" data-testid="split-main">
              <Stack gap={6} mt={6}>
                {person.distinct_ids.map((id) => (
                  <Radio key={id} value={id} label={<Text size="sm" ff="monospace">{id}</Text>} />
                ))}
              </Stack>
            </Radio.Group>
            <ErrorAlert error={split.error} title="The split failed" />
            <Group>
              <Button color="orange" variant="light" leftSection={<IconArrowsSplit size={16} />} onClick={confirm} loading={split.isPending} data-testid="split-button">
                Split person…
              </Button>
            </Group>
          </Stack>
        )}
      </Paper>
      <Group gap={4} mt={6}>
        <IconFingerprint size={12} color="var(--mantine-color-dimmed)" />
        <Text size="xs" c="dimmed">
          Splitting changes persons, not events: each event keeps the distinct ID it was sent with.
        </Text>
      </Group>
    </section>
  );
}
