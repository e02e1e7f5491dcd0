// GET /v1/scenarios/running: active runs. Polled every 1.5 s while any is active (their
// progress moves), slowly otherwise (to notice runs started elsewhere).
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import type { ScenarioRun } from '@siem/contracts';
import { ScenarioRunSchema } from '@siem/contracts';
import { z } from 'zod';
import { POLL } from '../../../config/env.ts';
import { apiRequest } from '../../../lib/api-client.ts';

export const runningKey = ['scenarios', 'running'] as const;

export const getRunning = () => apiRequest('/scenarios/running', { schema: z.array(ScenarioRunSchema) });

export const runningQueryOptions = () =>
  queryOptions({
    queryKey: runningKey,
    queryFn: getRunning,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.length ? POLL.scenariosActiveMs : POLL.scenariosIdleMs),
  });

export const useRunning = () => useQuery(runningQueryOptions());

/** After a control call: the run answered replaces its row; a run that ended moves to the recent list. */
export function applyRunUpdate(qc: QueryClient, run: ScenarioRun): void {
  const active = run.status === 'running' || run.status === 'paused';
  qc.setQueryData<ScenarioRun[]>(runningKey, (cur) => (active ? cur?.map((r) => (r.id === run.id ? run : r)) : cur?.filter((r) => r.id !== run.id)));
  if (!active) void qc.invalidateQueries({ queryKey: ['scenarios', 'recent'] });
}

export const runPath = (id: string, action: string) => `/scenarios/${encodeURIComponent(id)}/${action}`;
