import { Anchor, Paper, Stack, Text, ThemeIcon, Title, Group } from '@mantine/core';
import { IconSend } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { Project } from '../api';
import { DemoProject } from './DemoProject';
import { SnippetTabs } from './SnippetTabs';

/** A fresh project's empty state: how to send the first event, or look around the demo. */
export function Onboarding({ project }: { project: Project }) {
  return (
    <Paper withBorder radius="md" p="lg" data-testid="onboarding">
      <Stack gap="md">
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon size="lg" variant="light" radius="xl">
            <IconSend size={18} />
          </ThemeIcon>
          <div>
            <Title order={3}>Send your first event</Title>
            <Text size="sm" c="dimmed">
              {project.name} has no events yet. Paste this snippet into your site’s <code>&lt;head&gt;</code>, or use an SDK.
              Persons appear here once someone is identified with <code>posthog.identify()</code>.
            </Text>
          </div>
        </Group>
        <SnippetTabs token={project.api_token} />
        <Text size="sm">
          More in{' '}
          <Anchor component={Link} to={`/project/${project.id}/settings#send-first-event`}>
            Settings → Send your first event
          </Anchor>
          , including a test event. Just looking? Explore a project full of sample data:
        </Text>
        <DemoProject compact />
      </Stack>
    </Paper>
  );
}
