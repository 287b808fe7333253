import { Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { acceptInvite, ApiError, getInvite } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageSkeleton } from '../../components/PageSkeleton';
import { AuthCard } from './AuthCard';
import { homeOf, signedIn } from './session';

export default function InvitePage() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [accepted, setAccepted] = useState(false);
  // Once accepted the token is spent: asking again would only answer 404.
  const invite = useQuery({ queryKey: ['invite', token], queryFn: () => getInvite(token), retry: false, enabled: !accepted, staleTime: Infinity });
  const accept = useMutation({
    mutationFn: () => acceptInvite(token, { first_name: name.trim(), password }),
    onSuccess: (user) => {
      setAccepted(true);
      signedIn(client, user);
      navigate(homeOf(user), { replace: true });
    },
  });
  const fieldError = (attr: string) => (accept.error instanceof ApiError && accept.error.attr === attr ? accept.error.detail : undefined);

  if (!invite.data && !invite.isError) return <PageSkeleton />;
  if (invite.isError) {
    return (
      <AuthCard title="This invitation can’t be used" testId="invite-page">
        <ErrorAlert
          error={invite.error instanceof ApiError && invite.error.status === 404 ? new Error('The link is wrong, was already used, or has expired. Ask for a new one.') : invite.error}
        />
        <Button component={Link} to="/login" variant="light">
          Go to sign in
        </Button>
      </AuthCard>
    );
  }

  const data = invite.data!;
  return (
    <AuthCard
      title={`Join ${data.organization_name}`}
      subtitle={
        <>
          You were invited as <b>{data.email}</b> ({data.role}). Choose your name and a password.
        </>
      }
      testId="invite-page"
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          accept.mutate();
        }}
      >
        <Stack gap="sm">
          {accept.error && !(accept.error instanceof ApiError && accept.error.attr) && <ErrorAlert error={accept.error} />}
          <TextInput label="Email" value={data.email} readOnly disabled />
          <TextInput label="Your name" value={name} onChange={(e) => setName(e.currentTarget.value)} required autoFocus error={fieldError('first_name')} data-testid="invite-name" />
          <PasswordInput
            label="Password"
            description="At least 8 characters"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            required
            minLength={8}
            autoComplete="new-password"
            error={fieldError('password')}
            data-testid="invite-password"
          />
          <Button type="submit" loading={accept.isPending} fullWidth mt="xs" data-testid="invite-submit">
            Join {data.organization_name}
          </Button>
          <Text size="xs" c="dimmed" ta="center">
            Already have an account? <Link to="/login">Sign in</Link>
          </Text>
        </Stack>
      </form>
    </AuthCard>
  );
}
