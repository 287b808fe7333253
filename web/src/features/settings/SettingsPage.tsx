import { Box, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useLocation } from 'react-router';
import { DemoProject } from '../../components/DemoProject';
import { useCurrentProject } from '../shell/context';
import { ApiKeysSection } from './ApiKeysSection';
import { MembersSection } from './MembersSection';
import { ProjectSection } from './ProjectSection';
import { Section } from './Section';
import { SendFirstEventSection } from './SendFirstEventSection';
import { IpSection, TestAccountsSection } from './TestAccountsSection';

const SECTIONS = [
  { id: 'project', label: 'Project' },
  { id: 'send-first-event', label: 'Send events' },
  { id: 'test-account-filters', label: 'Test accounts' },
  { id: 'ip', label: 'IP addresses' },
  { id: 'personal-api-keys', label: 'Personal API keys' },
  { id: 'members', label: 'Members' },
  { id: 'demo', label: 'Demo project' },
];

export default function SettingsPage() {
  const { project, me } = useCurrentProject();
  const { hash } = useLocation();

  // The router does not scroll to anchors: do it once the section is on the page.
  useEffect(() => {
    if (!hash) return;
    const id = decodeURIComponent(hash.slice(1));
    const t = window.setTimeout(() => document.getElementById(id)?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 50);
    return () => window.clearTimeout(t);
  }, [hash]);

  return (
    <Stack gap="md" data-testid="settings-page">
      <div>
        <Title order={1}>Settings</Title>
        <Text size="sm" c="dimmed">
          {project.name} · {me.organization.name}
        </Text>
      </div>
      <Group align="flex-start" wrap="nowrap" gap="xl">
        <Stack gap="md" style={{ flex: 1, minWidth: 0 }} maw={920}>
          {/* key: a saved project re-seeds the forms */}
          <ProjectSection key={`p-${project.id}-${project.name}-${project.timezone}`} project={project} />
          <SendFirstEventSection project={project} />
          <TestAccountsSection key={`t-${project.id}-${JSON.stringify(project.test_account_filters)}`} project={project} />
          <IpSection project={project} />
          <ApiKeysSection />
          <MembersSection me={me} />
          <Section id="demo" title="Demo project" description="A separate project filled with a few weeks of made-up traffic, to try every page without sending anything.">
            <DemoProject />
          </Section>
        </Stack>
        <Box visibleFrom="lg" w={200} style={{ position: 'sticky', top: 16, flex: 'none' }} component="nav" aria-label="Settings sections">
          <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={4} px={12}>
            On this page
          </Text>
          {SECTIONS.map((s) => (
            <NavLink key={s.id} href={`#${s.id}`} label={s.label} active={hash === `#${s.id}`} variant="subtle" py={4} />
          ))}
        </Box>
      </Group>
    </Stack>
  );
}
