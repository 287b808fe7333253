import { Button, Group, Stack, Title } from '@mantine/core';
import { Link } from 'react-router';
import { ErrorAlert } from './ErrorAlert';

/** A page whose one thing (a project, an insight, a dashboard) could not be read: why, a retry, and a way back. */
export function CannotOpen({
  what,
  error,
  onRetry,
  back,
  testId,
}: {
  what: string;
  error: unknown;
  onRetry: () => void;
  back?: { to: string; label: string };
  testId?: string;
}) {
  return (
    <Stack maw={640} gap="md" data-testid={testId}>
      <Title order={2}>This {what} can’t be opened</Title>
      <ErrorAlert error={error} onRetry={onRetry} />
      {back && (
        <Group>
          <Button component={Link} to={back.to} variant="light">
            {back.label}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
