import { Alert, Button, Code, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, postSetup } from '../../api';
import { useSetupStatus } from '../../lib/queries';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageSkeleton } from '../../components/PageSkeleton';
import { AuthCard } from './AuthCard';
import { homeOf, signedIn } from './session';

export default function SetupPage() {
  const navigate = useNavigate();
  const client = useQueryClient();
  const setup = useSetupStatus();
  const [form, setForm] = useState({ setup_code: '', organization_name: '', first_name: '', email: '', password: '' });
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.currentTarget.value });
  const submit = useMutation({
    mutationFn: () => postSetup({ ...form, setup_code: form.setup_code.trim(), email: form.email.trim() }),
    onSuccess: (user) => {
      signedIn(client, user);
      navigate(user.team ? `/project/${user.team.id}/settings#send-first-event` : homeOf(user), { replace: true });
    },
  });
  const fieldError = (attr: string) =>
    submit.error instanceof ApiError && submit.error.attr === attr ? submit.error.detail : undefined;
  const generalError = submit.error instanceof ApiError && submit.error.attr ? null : submit.error;

  if (setup.isPending) return <PageSkeleton />;
  if (setup.data && !setup.data.needs_setup) {
    return (
      <AuthCard title="Sightline is set up" testId="setup-page">
        <Text size="sm">This server already has an organization. Sign in, or ask an admin for an invitation.</Text>
        <Button component={Link} to="/login">
          Go to sign in
        </Button>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Set up Sightline" subtitle="Create the organization and its first admin. This page works once." testId="setup-page">
      <ErrorAlert error={setup.error} />
      <Alert variant="light" color="blue" icon={<IconInfoCircle size={16} />}>
        <Text size="sm">
          The set-up code was printed in the server’s console when Sightline first started (look for <Code>set-up code</Code> in its
          output).
        </Text>
      </Alert>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit.mutate();
        }}
      >
        <Stack gap="sm">
          {generalError && <ErrorAlert error={generalError} title="Set-up failed" />}
          <TextInput
            label="Set-up code"
            value={form.setup_code}
            onChange={set('setup_code')}
            error={fieldError('setup_code')}
            required
            autoComplete="off"
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            autoFocus
            data-testid="setup-code"
          />
          <TextInput
            label="Organization name"
            placeholder="Acme Inc."
            value={form.organization_name}
            onChange={set('organization_name')}
            error={fieldError('organization_name')}
            required
            data-testid="setup-organization"
          />
          <TextInput label="Your name" value={form.first_name} onChange={set('first_name')} error={fieldError('first_name')} required autoComplete="given-name" data-testid="setup-name" />
          <TextInput label="Email" type="email" value={form.email} onChange={set('email')} error={fieldError('email')} required autoComplete="username" data-testid="setup-email" />
          <PasswordInput
            label="Password"
            description="At least 8 characters"
            value={form.password}
            onChange={set('password')}
            error={fieldError('password')}
            required
            minLength={8}
            autoComplete="new-password"
            data-testid="setup-password"
          />
          <Button type="submit" loading={submit.isPending} mt="xs" fullWidth data-testid="setup-submit">
            Create organization
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
