// PUT /v1/scenarios/{id}/speed: the multiplier applies to the next pause of the playback.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ScenarioRunSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { applyRunUpdate, runPath, runningKey } from './running.ts';

export const setRunSpeed = (id: string, speed: number) => apiRequest(runPath(id, 'speed'), { method: 'PUT', body: { speed }, schema: ScenarioRunSchema });

export function useSetRunSpeed() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, speed }: { id: string; speed: number }) => setRunSpeed(id, speed),
    onSuccess: (run) => applyRunUpdate(qc, run),
    onSettled: () => void qc.invalidateQueries({ queryKey: runningKey }),
  });
}
