import { Button, Group, Menu, Modal, Skeleton, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconCheck, IconPlus, IconSelector } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { createProject, type Project, type User } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { keys } from '../../lib/queries';
import classes from './shell.module.css';

/** The same page in another project; a person belongs to one project, so that goes to the list. */
function samePageIn(pathname: string, id: number | string) {
  const section = pathname.split('/')[3];
  const keep = section === 'events' || section === 'settings' ? section : 'persons';
  return `/project/${id}/${keep}`;
}

export function ProjectSwitcher({ projects, current, loading, me }: { projects: Project[]; current?: Project; loading: boolean; me?: User }) {
  const navigate = useNavigate();
  const location = useLocation();
  const [creating, { open, close }] = useDisclosure(false);

  if (loading && !current) return <Skeleton height={46} radius="sm" />;

  return (
    <>
      <Menu position="bottom-start" width={240} shadow="md" withinPortal>
        <Menu.Target>
          <UnstyledButton className={classes.switcher} aria-label={`Project: ${current?.name ?? 'none'}. Switch project`} data-testid="project-switcher">
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <div style={{ minWidth: 0 }}>
                <Text size="xs" c="dimmed" lh={1.2}>
                  {me?.organization.name ?? 'Project'}
                </Text>
                <Text size="sm" fw={600} truncate>
                  {current?.name ?? 'Choose a project'}
                </Text>
              </div>
              <IconSelector size={16} stroke={1.5} />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Projects</Menu.Label>
          {projects.map((p) => (
            <Menu.Item
              key={p.id}
              onClick={() => navigate(samePageIn(location.pathname, p.id))}
              rightSection={current && String(p.id) === String(current.id) ? <IconCheck size={14} /> : null}
              data-testid="project-option"
            >
              {p.name}
            </Menu.Item>
          ))}
          {me?.role === 'admin' && (
            <>
              <Menu.Divider />
              <Menu.Item leftSection={<IconPlus size={14} />} onClick={open}>
                New project
              </Menu.Item>
            </>
          )}
        </Menu.Dropdown>
      </Menu>
      <Modal opened={creating} onClose={close} title="New project" centered>
        {creating && <NewProjectForm onDone={close} />}
      </Modal>
    </>
  );
}

function NewProjectForm({ onDone }: { onDone: () => void }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => createProject({ name: name.trim(), timezone: Intl.DateTimeFormat().resolvedOptions().timeZone }),
    onSuccess: (project) => {
      client.invalidateQueries({ queryKey: keys.projects });
      onDone();
      navigate(`/project/${project.id}/settings#send-first-event`);
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) create.mutate();
      }}
    >
      <Stack>
        <TextInput label="Name" placeholder="My website" value={name} onChange={(e) => setName(e.currentTarget.value)} required data-autofocus />
        <ErrorAlert error={create.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
            Create project
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
