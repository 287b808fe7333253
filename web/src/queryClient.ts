import { QueryClient } from '@tanstack/react-query';
import { retryUnlessClientError } from './lib/queries';

/** The app's one query cache: the early start (boot.ts) fills it before React draws. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: retryUnlessClientError, refetchOnWindowFocus: false },
  },
});
