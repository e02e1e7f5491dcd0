// The QueryClient: no retries on 4xx (they will not get better), one on network or 5xx,
// a toast when a background refetch fails (the screen still shows the older data, so
// the failure would otherwise go unseen), and a 401 never toasts: the session ends.
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { errorMessage, isApiError } from './api-client.ts';
import { toast } from './toast.ts';

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: { /** The form shows the error itself. */ inlineErrors?: boolean };
  }
}

const silent = (e: unknown) => isApiError(e) && e.status === 401;

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (silent(error)) return;
        if (query.state.data !== undefined) toast.error(`Could not refresh: ${errorMessage(error)}`);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _vars, _ctx, mutation) => {
        if (silent(error) && !mutation.meta?.inlineErrors) return;
        if (!mutation.meta?.inlineErrors) toast.error(errorMessage(error));
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: true,
        retry: (count, error) => !(isApiError(error) && error.status >= 400 && error.status < 500) && count < 1,
      },
      mutations: { retry: false },
    },
  });
}
