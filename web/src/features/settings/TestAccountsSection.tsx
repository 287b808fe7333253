import { Button, Group, Stack, Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { Project, PropertyFilter } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PropertyFilterEditor } from '../../components/filters/PropertyFilterEditor';
import { GeoAttribution } from '../../components/GeoAttribution';
import { useUpdateProject } from './queries';
import { Section } from './Section';

export function TestAccountsSection({ project }: { project: Project }) {
  const [filters, setFilters] = useState<PropertyFilter[]>(project.test_account_filters ?? []);
  const save = useUpdateProject(project.id);
  const changed = JSON.stringify(filters) !== JSON.stringify(project.test_account_filters ?? []);
  return (
    <Section
      id="test-account-filters"
      title="Test accounts"
      description="Events matching these filters come from your team or your tests. Insights can leave them out with one switch."
    >
      <Stack gap="sm">
        <PropertyFilterEditor projectId={project.id} value={filters} onChange={setFilters} types={['person', 'event']} addLabel="Add test-account filter" testId="test-account-filters" />
        {filters.length === 0 && (
          <Text size="xs" c="dimmed">
            For example: person property <code>email</code> contains <code>@yourcompany.com</code>.
          </Text>
        )}
        <ErrorAlert error={save.error} title="The filters could not be saved" />
        <Group>
          <Button
            disabled={!changed}
            loading={save.isPending}
            onClick={() => save.mutate({ test_account_filters: filters }, { onSuccess: () => notifications.show({ message: 'Test-account filters saved', color: 'teal' }) })}
            data-testid="test-filters-save"
          >
            Save filters
          </Button>
          {changed && (
            <Button variant="subtle" color="gray" onClick={() => setFilters(project.test_account_filters ?? [])}>
              Undo changes
            </Button>
          )}
        </Group>
      </Stack>
    </Section>
  );
}

export function IpSection({ project }: { project: Project }) {
  const save = useUpdateProject(project.id);
  return (
    <Section id="ip" title="IP addresses" description="Locations come from the sender’s IP address when the event arrives.">
      <Switch
        checked={!project.anonymize_ips}
        onChange={(e) =>
          save.mutate(
            { anonymize_ips: !e.currentTarget.checked },
            { onSuccess: (p) => notifications.show({ color: 'teal', message: p.anonymize_ips ? 'IP addresses will not be stored' : 'IP addresses will be stored' }) },
          )
        }
        disabled={save.isPending}
        label="Store the IP address with each event"
        description="When off, the IP is used for the location and then dropped ($ip is not kept)."
        data-testid="ip-toggle"
      />
      <ErrorAlert error={save.error} />
      <GeoAttribution />
    </Section>
  );
}
