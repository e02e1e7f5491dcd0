// POST /v1/scenarios/{id}/pause: answers the run re-read after the action.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ScenarioRunSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { applyRunUpdate, runPath, runningKey } from './running.ts';

export const pauseRun = (id: string) => apiRequest(runPath(id, 'pause'), { method: 'POST', schema: ScenarioRunSchema });

export function usePauseRun() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: pauseRun,
    onSuccess: (run) => applyRunUpdate(qc, run),
    onSettled: () => void qc.invalidateQueries({ queryKey: runningKey }),
  });
}
