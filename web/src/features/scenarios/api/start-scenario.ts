// POST /v1/scenarios/start with the playbook file and a starting speed.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ScenarioRunSchema } from '@siem/contracts';
import type { ScenarioRun } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { runningKey } from './running.ts';

export const startScenario = (body: { filename: string; speed: number }) =>
  apiRequest('/scenarios/start', { method: 'POST', body, schema: ScenarioRunSchema });

export function useStartScenario() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: startScenario,
    meta: { inlineErrors: true },
    onSuccess: (run) => {
      qc.setQueryData<ScenarioRun[]>(runningKey, (cur) => [run, ...(cur ?? []).filter((r) => r.id !== run.id)]);
      void qc.invalidateQueries({ queryKey: runningKey });
    },
  });
}
