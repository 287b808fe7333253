import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { login } from '../../api';
import { useSetupStatus } from '../../lib/queries';
import { errorWords } from '../../components/ErrorAlert';
import { AuthCard } from './AuthCard';
import { homeOf, safeNext, signedIn } from './session';

export default function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const setup = useSetupStatus();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () => login({ email: email.trim(), password }),
    onSuccess: (user) => {
      signedIn(client, user);
      navigate(safeNext(params.get('next')) ?? homeOf(user), { replace: true });
    },
  });

  if (setup.data?.needs_setup) return <Navigate to="/setup" replace />;
  // Already signed in (an old tab, a bookmark): go on to where the sign-in would have led.
  if (setup.data?.signed_in && !signIn.isPending && !signIn.isSuccess) return <Navigate to={safeNext(params.get('next')) ?? '/'} replace />;

  return (
    <AuthCard title="Sign in to Sightline" testId="login-page">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          signIn.mutate();
        }}
      >
        <Stack gap="sm">
          {signIn.isError && (
            <Alert color="red" variant="light" icon={<IconLock size={16} />} role="alert" data-testid="login-error">
              {errorWords(signIn.error)}
            </Alert>
          )}
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            required
            data-autofocus
            autoFocus
            data-testid="login-email"
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            required
            data-testid="login-password"
          />
          <Button type="submit" loading={signIn.isPending} mt="xs" fullWidth data-testid="login-submit">
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
