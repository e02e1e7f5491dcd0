// POST /v1/scenarios/{id}/stop: answers the run re-read after the action.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ScenarioRunSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { applyRunUpdate, runPath, runningKey } from './running.ts';

export const stopRun = (id: string) => apiRequest(runPath(id, 'stop'), { method: 'POST', schema: ScenarioRunSchema });

export function useStopRun() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: stopRun,
    onSuccess: (run) => applyRunUpdate(qc, run),
    onSettled: () => void qc.invalidateQueries({ queryKey: runningKey }),
  });
}
