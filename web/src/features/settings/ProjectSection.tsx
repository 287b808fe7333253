import { Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import type { Project } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useUpdateProject } from './queries';
import { Section } from './Section';

function timeZones(current: string): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const all = new Set(['UTC', ...zones]);
  if (current) all.add(current);
  return [...all];
}

export function ProjectSection({ project }: { project: Project }) {
  const [name, setName] = useState(project.name);
  const [timezone, setTimezone] = useState(project.timezone || 'UTC');
  const zones = useMemo(() => timeZones(project.timezone), [project.timezone]);
  const save = useUpdateProject(project.id);
  const changed = name.trim() !== project.name || timezone !== project.timezone;
  return (
    <Section id="project" title="Project" description="The name people see, and the time zone days are counted in.">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ name: name.trim(), timezone }, { onSuccess: () => notifications.show({ message: 'Project saved', color: 'teal' }) });
        }}
      >
        <Stack gap="sm" maw={480}>
          <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} required data-testid="project-name" />
          <Select
            label="Time zone"
            searchable
            value={timezone}
            onChange={(v) => v && setTimezone(v)}
            data={zones}
            limit={200}
            allowDeselect={false}
            nothingFoundMessage="No such time zone"
            data-testid="project-timezone"
          />
          <ErrorAlert error={save.error} title="The project could not be saved" />
          <Group>
            <Button type="submit" disabled={!changed || !name.trim()} loading={save.isPending} data-testid="project-save">
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}
