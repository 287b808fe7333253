import { Alert, Button, Group, Loader, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconCheck, IconClockExclamation, IconSend } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { listEvents, sendTestEvent, type Project } from '../../api';
import { CopyField } from '../../components/CopyField';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SnippetTabs } from '../../components/SnippetTabs';
import { keys } from '../../lib/queries';
import { formatDuration } from '../../lib/time';
import { Section } from './Section';
import { nextTestEventState, type TestEventState } from './testEvent';

export function SendFirstEventSection({ project }: { project: Project }) {
  return (
    <Section
      id="send-first-event"
      title={project.has_events ? 'Send events' : 'Send your first event'}
      description="Paste the snippet into every page of your site, or use one of the SDKs. Events go to this server; nothing leaves it."
    >
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          Project token
        </Text>
        <Text size="xs" c="dimmed">
          Safe to put in web pages: it can only send events.
        </Text>
        <CopyField value={project.api_token} label="Project token" testId="project-token" />
      </Stack>
      <SnippetTabs token={project.api_token} />
      <TestEvent project={project} />
    </Section>
  );
}

function TestEvent({ project }: { project: Project }) {
  const client = useQueryClient();
  const [state, setState] = useState<TestEventState>({ phase: 'idle' });
  const [error, setError] = useState<unknown>(null);
  const waiting = state.phase === 'waiting' ? state : null;

  const poll = useQuery({
    queryKey: ['test-event', String(project.id), waiting?.uuid],
    queryFn: ({ signal }) => listEvents(project.id, { distinct_id: waiting!.distinctId, limit: 20 }, signal),
    enabled: waiting !== null,
    refetchInterval: 400,
    gcTime: 0,
  });

  useEffect(() => {
    if (!poll.data) return;
    setState((s) => nextTestEventState(s, poll.data.results.map((e) => e.uuid), performance.now()));
  }, [poll.data, poll.dataUpdatedAt]);
  useEffect(() => {
    if (!waiting) return;
    const id = window.setInterval(() => setState((s) => nextTestEventState(s, [], performance.now())), 1000);
    return () => window.clearInterval(id);
  }, [waiting]);
  useEffect(() => {
    if (state.phase === 'arrived' && !project.has_events) client.invalidateQueries({ queryKey: keys.project(project.id) });
  }, [state.phase, project.has_events, project.id, client]);

  const send = async () => {
    setError(null);
    setState({ phase: 'sending' });
    const sentAt = performance.now();
    try {
      const sent = await sendTestEvent(project.id);
      setState({ phase: 'waiting', uuid: sent.uuid, distinctId: sent.distinct_id, sentAt });
    } catch (e) {
      setError(e);
      setState({ phase: 'idle' });
    }
  };

  return (
    <Stack gap="xs" data-testid="test-event">
      <Text size="sm" fw={500}>
        Check the pipeline
      </Text>
      <Group gap="md" wrap="wrap">
        <Button
          variant="light"
          leftSection={<IconSend size={16} />}
          onClick={send}
          loading={state.phase === 'sending'}
          disabled={state.phase === 'waiting'}
          data-testid="send-test-event"
        >
          Send a test event
        </Button>
        {state.phase === 'waiting' && (
          <Group gap="xs" data-testid="test-event-waiting" aria-live="polite">
            <Loader size="xs" />
            <Text size="sm" c="dimmed">
              Sent. Waiting for it to come back through the events API…
            </Text>
          </Group>
        )}
        {state.phase === 'arrived' && (
          <Group gap="xs" data-testid="test-event-arrived" aria-live="polite">
            <ThemeIcon color="teal" radius="xl" size="sm">
              <IconCheck size={14} />
            </ThemeIcon>
            <Text size="sm" c="teal" fw={500}>
              Arrived in {formatDuration(state.ms)}
            </Text>
            <Text size="sm" c="dimmed">
              · see it in <Link to={`/project/${project.id}/events?event=${encodeURIComponent('sightline test event')}`}>Events</Link>
            </Text>
          </Group>
        )}
      </Group>
      {state.phase === 'late' && (
        <Alert color="yellow" variant="light" icon={<IconClockExclamation size={16} />} title="Not back after 30 seconds">
          The server accepted the event, but it has not shown up in the events list. Check the server’s log for ingestion errors.
        </Alert>
      )}
      <ErrorAlert error={error} title="The test event was not sent" />
    </Stack>
  );
}
