import { AppShell, Burger, Group, ScrollArea, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChartLine, IconLayoutDashboard, IconListDetails, IconReceipt, IconUsers, IconUsersGroup, IconWorld } from '@tabler/icons-react';
import { useEffect } from 'react';
import { Link, Navigate, NavLink as RouterNavLink, Outlet, useLocation, useParams } from 'react-router';
import { ApiError } from '../../api';
import { CannotOpen } from '../../components/CannotOpen';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageSkeleton } from '../../components/PageSkeleton';
import { useMe, useProject, useProjects, useSetupStatus } from '../../lib/queries';
import { ProjectContext } from './context';
import { ProjectSwitcher } from './ProjectSwitcher';
import { UserMenu } from './UserMenu';
import { Logo } from './Logo';
import classes from './shell.module.css';

const PAGES = [
  { path: 'web', label: 'Web analytics', icon: IconWorld, match: ['web'] },
  { path: 'persons', label: 'Persons', icon: IconUsers, match: ['persons', 'person'] },
  { path: 'insights', label: 'Insights', icon: IconChartLine, match: ['insights'] },
  { path: 'dashboards', label: 'Dashboards', icon: IconLayoutDashboard, match: ['dashboards', 'dashboard'] },
  { path: 'cohorts', label: 'Cohorts', icon: IconUsersGroup, match: ['cohorts'] },
  { path: 'events', label: 'Events', icon: IconListDetails, match: ['events'] },
  { path: 'usage', label: 'Usage', icon: IconReceipt, match: ['usage'] },
];

export function AppLayout() {
  const { projectId = '' } = useParams();
  const location = useLocation();
  const [opened, { toggle, close }] = useDisclosure(false);
  // Signed in? The set-up status says so without a refused request; then the user, the projects
  // and this project are asked for together.
  const setup = useSetupStatus();
  const signedIn = setup.data?.signed_in === true;
  const me = useMe(signedIn);
  const projects = useProjects(signedIn);
  const project = useProject(projectId, signedIn);

  // Close the phone menu after navigating.
  useEffect(close, [location.pathname, close]);

  const toLogin = <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (setup.data?.needs_setup) return <Navigate to="/setup" replace />;
  if (setup.data && !signedIn) return toLogin;
  if (setup.isError) {
    return (
      <Stack p="xl" maw={640} mx="auto">
        <ErrorAlert error={setup.error} onRetry={() => setup.refetch()} />
      </Stack>
    );
  }
  if (me.isError) {
    if (me.error instanceof ApiError && me.error.status === 401) return toLogin;
    return (
      <Stack p="xl" maw={640} mx="auto">
        <ErrorAlert error={me.error} onRetry={() => me.refetch()} />
      </Stack>
    );
  }

  const section = location.pathname.split('/')[3] ?? '';

  return (
    <AppShell
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      header={{ height: { base: 52, sm: 0 } }}
      padding="md"
      classNames={{ header: classes.header }}
    >
      <AppShell.Header hiddenFrom="sm">
        <Group h="100%" px="md" gap="sm">
          <Burger opened={opened} onClick={toggle} size="sm" aria-label={opened ? 'Close navigation' : 'Open navigation'} />
          <Logo />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main navigation">
        <AppShell.Section visibleFrom="sm" mb="sm" px={6} pt={4}>
          <Logo />
        </AppShell.Section>
        <AppShell.Section>
          <ProjectSwitcher projects={projects.data?.results ?? []} current={project.data} loading={projects.isPending || project.isPending} me={me.data} />
          <RouterNavLink
            to={`/project/${projectId}/settings`}
            className={({ isActive }) => `${classes.link} ${classes.sublink} ${isActive ? classes.active : ''}`}
            data-testid="nav-settings"
          >
            Settings
          </RouterNavLink>
        </AppShell.Section>
        <AppShell.Section grow component={ScrollArea} mt="md">
          <Text size="xs" fw={600} c="dimmed" tt="uppercase" px={10} mb={4}>
            Explore
          </Text>
          {PAGES.map((p) => {
            const active = p.match.includes(section);
            return (
              <Link
                key={p.path}
                to={`/project/${projectId}/${p.path}`}
                className={`${classes.link} ${active ? classes.active : ''}`}
                aria-current={active ? 'page' : undefined}
                data-testid={`nav-${p.path}`}
              >
                <p.icon size={18} stroke={1.6} />
                <span>{p.label}</span>
              </Link>
            );
          })}
        </AppShell.Section>
        <AppShell.Section>{me.data && <UserMenu me={me.data} projectId={projectId} />}</AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main className={classes.main}>
        {!signedIn || me.isPending || project.isPending ? (
          <PageSkeleton />
        ) : project.isError ? (
          <CannotOpen
            what="project"
            error={project.error}
            onRetry={() => project.refetch()}
            back={projects.data?.results[0] && { to: `/project/${projects.data.results[0].id}/persons`, label: `Go to ${projects.data.results[0].name}` }}
          />
        ) : (
          <ProjectContext.Provider value={{ project: project.data!, me: me.data! }}>
            <Outlet />
          </ProjectContext.Provider>
        )}
      </AppShell.Main>
    </AppShell>
  );
}
