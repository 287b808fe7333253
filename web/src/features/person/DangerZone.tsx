import { Button, Checkbox, Code, Group, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { Person } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { personDisplayName, primaryDistinctId } from '../../lib/properties';
import { useDeletePerson } from './queries';

export function DangerZone({ projectId, person }: { projectId: string | number; person: Person }) {
  const [withEvents, setWithEvents] = useState<boolean | null>(null);
  return (
    <Paper withBorder radius="md" p="md" style={{ borderColor: 'var(--mantine-color-red-5)' }} data-testid="danger-zone">
      <Stack gap="md">
        <div>
          <Title order={2} size="h3" c="red">
            Delete this person
          </Title>
          <Text size="sm" c="dimmed">
            Deleting cannot be undone. If the same distinct ID sends events again, a new person is created.
          </Text>
        </div>
        <Group gap="sm" wrap="wrap">
          <Button color="red" variant="light" leftSection={<IconTrash size={16} />} onClick={() => setWithEvents(false)} data-testid="delete-person">
            Delete person, keep events
          </Button>
          <Button color="red" leftSection={<IconTrash size={16} />} onClick={() => setWithEvents(true)} data-testid="delete-person-events">
            Delete person and events
          </Button>
        </Group>
      </Stack>
      <Modal opened={withEvents !== null} onClose={() => setWithEvents(null)} title="Delete this person?" centered>
        {withEvents !== null && <ConfirmDelete projectId={projectId} person={person} withEvents={withEvents} onCancel={() => setWithEvents(null)} />}
      </Modal>
    </Paper>
  );
}

function ConfirmDelete({ projectId, person, withEvents, onCancel }: { projectId: string | number; person: Person; withEvents: boolean; onCancel: () => void }) {
  const remove = useDeletePerson(projectId, person.uuid);
  const navigate = useNavigate();
  const [typed, setTyped] = useState('');
  const [understood, setUnderstood] = useState(false);
  const expected = primaryDistinctId(person.distinct_ids) ?? 'delete';
  const ready = typed.trim() === expected && understood;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!ready) return;
        remove.mutate(withEvents, {
          onSuccess: () => {
            notifications.show({ color: 'teal', message: `Deleted ${personDisplayName(person)}${withEvents ? ' and their events' : ''}` });
            navigate(`/project/${projectId}/persons`, { replace: true });
          },
        });
      }}
    >
      <Stack gap="sm">
        <Text size="sm">
          {withEvents
            ? 'The person, their properties and every event sent with their distinct IDs are deleted.'
            : 'The person and their properties are deleted. Their events stay, no longer linked to a person.'}
        </Text>
        <TextInput
          label={
            <>
              Type <Code>{expected}</Code> to confirm
            </>
          }
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          autoFocus
          autoComplete="off"
          data-testid="delete-confirm-input"
        />
        <Checkbox
          label={withEvents ? 'I understand the events are deleted too' : 'I understand this cannot be undone'}
          checked={understood}
          onChange={(e) => setUnderstood(e.currentTarget.checked)}
          data-testid="delete-confirm-check"
        />
        <ErrorAlert error={remove.error} title="The person could not be deleted" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" color="red" disabled={!ready} loading={remove.isPending} data-testid="delete-confirm">
            {withEvents ? 'Delete person and events' : 'Delete person'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
