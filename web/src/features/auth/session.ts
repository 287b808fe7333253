import type { QueryClient } from '@tanstack/react-query';
import { rememberCsrfToken, type SetupStatus, type User } from '../../api';
import { keys } from '../../lib/queries';

/** After signing in: keep the user and its CSRF token, and forget anything from before. */
export function signedIn(client: QueryClient, user: User) {
  rememberCsrfToken(user.csrf_token);
  client.clear();
  client.setQueryData(keys.me, user);
  client.setQueryData<SetupStatus>(keys.setup, { needs_setup: false, signed_in: true });
}

/** After signing out: nothing of the session stays, and the app knows without asking. */
export function signedOut(client: QueryClient) {
  client.clear();
  client.setQueryData<SetupStatus>(keys.setup, { needs_setup: false, signed_in: false });
}

/** Only same-site paths are followed after signing in. */
export function safeNext(next: string | null): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return null;
  return next;
}

export function homeOf(user: User): string {
  return user.team ? `/project/${user.team.id}/persons` : '/';
}
