import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { ApiError } from '../api';

/** The server writes details in lower case; a message on screen starts with a capital. */
export function sentence(text: string): string {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

export function errorWords(error: unknown): string {
  if (error instanceof ApiError) return sentence(error.detail);
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

/** The API's `detail` in words, with a retry where one makes sense. */
export function ErrorAlert({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  if (!error) return null;
  const status = error instanceof ApiError ? error.status : null;
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={title ?? (status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : 'Something went wrong')}
      data-testid="error-alert"
      role="alert"
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text size="sm">{errorWords(error)}</Text>
        {onRetry && (
          <Button size="compact-sm" variant="default" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Group>
    </Alert>
  );
}
