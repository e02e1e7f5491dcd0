// Shared test helpers: a fetch stub answering JSON per request, and a render wrapper
// with a fresh QueryClient and an in-memory router.
import type { ReactNode } from 'react';
import { render } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';
import { createQueryClient } from '../../src/lib/query-client.ts';

export interface Call {
  url: string;
  method: string;
  body: unknown;
  auth: string | null;
}

/** Stubs fetch; `answer` gets each call and returns [status, body]. */
export function stubFetch(answer: (call: Call) => [number, unknown]) {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit = {}) => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    const call = { url, method: init.method ?? 'GET', body: init.body ? JSON.parse(String(init.body)) : undefined, auth: headers.Authorization ?? null };
    calls.push(call);
    const [status, body] = answer(call);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }));
  return calls;
}

export function renderWithApp(ui: ReactNode, { route = '/' } = {}) {
  const client = createQueryClient();
  return { client, ...render(<QueryClientProvider client={client}><MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter></QueryClientProvider>) };
}

export const USER = { id: 'aaaaaaaaaaaaaaaaaaaaaaaa', username: 'alice', email: 'alice@example.com', role: 'analyst' as const, is_active: true };
