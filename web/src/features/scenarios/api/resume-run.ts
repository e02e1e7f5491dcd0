// POST /v1/scenarios/{id}/resume: answers the run re-read after the action.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ScenarioRunSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { applyRunUpdate, runPath, runningKey } from './running.ts';

export const resumeRun = (id: string) => apiRequest(runPath(id, 'resume'), { method: 'POST', schema: ScenarioRunSchema });

export function useResumeRun() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: resumeRun,
    onSuccess: (run) => applyRunUpdate(qc, run),
    onSettled: () => void qc.invalidateQueries({ queryKey: runningKey }),
  });
}
