// App-wide providers and session housekeeping: when the session ends (sign-out, a 401,
// the token's expiry) the query cache is emptied so nothing of the last user stays on
// screen; the token's own `exp` ends the session on time without waiting for a 401.
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { Toaster } from '../components/ui/toaster.tsx';
import { createQueryClient } from '../lib/query-client.ts';
import { tokenExpiry, useSession } from '../lib/session.ts';
import { useTail } from '../features/logs/stores/tail-store.ts';

const MAX_TIMER_MS = 2_147_483_647;

function SessionHousekeeping({ client }: { client: QueryClient }) {
  const token = useSession((s) => s.token);
  const end = useSession((s) => s.end);
  useEffect(() => {
    if (!token) {
      client.clear();
      useTail.getState().resume();
      return;
    }
    const exp = tokenExpiry(token);
    if (exp === null) return;
    const left = exp * 1000 - Date.now();
    if (left <= 0) {
      end('expired');
      return;
    }
    const t = setTimeout(() => end('expired'), Math.min(left, MAX_TIMER_MS));
    return () => clearTimeout(t);
  }, [token, end, client]);
  return null;
}

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(createQueryClient);
  return (
    <QueryClientProvider client={client}>
      <SessionHousekeeping client={client} />
      {children}
      <Toaster />
    </QueryClientProvider>
  );
}
