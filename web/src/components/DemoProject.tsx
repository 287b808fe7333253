import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { startDemo } from '../api';
import { keys, useDemoStatus } from '../lib/queries';
import { ErrorAlert } from './ErrorAlert';

/** Creates the demo project (or opens it), with progress while the server fills it. */
export function DemoProject({ compact = false }: { compact?: boolean }) {
  const client = useQueryClient();
  const status = useDemoStatus();
  const start = useMutation({
    mutationFn: startDemo,
    onSuccess: () => {
      client.invalidateQueries({ queryKey: keys.demo });
      client.invalidateQueries({ queryKey: keys.projects });
    },
  });
  const demo = status.data;
  const running = demo?.status === 'running' || (start.isSuccess && demo?.status !== 'done' && demo?.status !== 'failed');

  if (status.isPending) return <Text size="sm" c="dimmed">Checking the demo project…</Text>;
  if (status.isError) return <ErrorAlert error={status.error} />;

  if (demo?.status === 'done' && demo.project) {
    return (
      <Group gap="sm">
        <Button component={Link} to={`/project/${demo.project.id}/persons`} leftSection={<IconFlask size={16} />} variant="light" data-testid="open-demo">
          Open the demo project
        </Button>
        {!compact && demo.events > 0 && (
          <Text size="sm" c="dimmed">
            {demo.events.toLocaleString()} events
          </Text>
        )}
      </Group>
    );
  }

  if (running) {
    const pct = Math.round((demo?.progress ?? 0) * 100);
    return (
      <Stack gap={6} data-testid="demo-progress">
        <Text size="sm">
          Filling the demo project… {pct}% ({(demo?.events ?? 0).toLocaleString()} events)
        </Text>
        <Progress value={pct} animated aria-label="Demo project progress" />
      </Stack>
    );
  }

  return (
    <Stack gap="xs">
      {demo?.status === 'failed' && <Text size="sm" c="red">Filling the demo project failed. Try again.</Text>}
      <ErrorAlert error={start.error} />
      <Group>
        <Button
          leftSection={<IconFlask size={16} />}
          variant={compact ? 'default' : 'filled'}
          onClick={() => start.mutate()}
          loading={start.isPending}
          data-testid="create-demo"
        >
          Create demo project
        </Button>
      </Group>
    </Stack>
  );
}
