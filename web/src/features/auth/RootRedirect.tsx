import { Button, Center, Stack } from '@mantine/core';
import { Navigate } from 'react-router';
import { ApiError } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageSkeleton } from '../../components/PageSkeleton';
import { useMe, useProjects, useSetupStatus } from '../../lib/queries';

/** `/`: set-up first, then sign-in, then the first project's home page (web analytics or persons: see ProjectHome). */
export function RootRedirect() {
  const setup = useSetupStatus();
  const needsSetup = setup.data?.needs_setup;
  const me = useMe(setup.data?.signed_in === true);
  const signedIn = me.isSuccess;
  const projects = useProjects(signedIn && !me.data?.team);

  if (setup.isPending) return <PageSkeleton />;
  if (setup.isError) return <Failure error={setup.error} retry={() => setup.refetch()} />;
  if (needsSetup) return <Navigate to="/setup" replace />;
  if (!setup.data.signed_in) return <Navigate to="/login" replace />;
  if (me.isPending) return <PageSkeleton />;
  if (me.isError) {
    if (me.error instanceof ApiError && me.error.status === 401) return <Navigate to="/login" replace />;
    return <Failure error={me.error} retry={() => me.refetch()} />;
  }
  if (signedIn && me.data.team) return <Navigate to={`/project/${me.data.team.id}`} replace />;
  if (projects.isPending) return <PageSkeleton />;
  if (projects.isError) return <Failure error={projects.error} retry={() => projects.refetch()} />;
  const first = projects.data.results[0];
  if (first) return <Navigate to={`/project/${first.id}`} replace />;
  return <Failure error={new Error('Your organization has no project yet. Ask an admin to create one.')} />;
}

function Failure({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <Center mih="60dvh" p="md">
      <Stack maw={520} w="100%">
        <ErrorAlert error={error} onRetry={retry} />
        <Button variant="subtle" component="a" href="/login">
          Sign in as someone else
        </Button>
      </Stack>
    </Center>
  );
}
