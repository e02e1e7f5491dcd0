// POST /v1/notifications/channels/{id}/test: sends a sample alert now; the answer is the
// attempt's outcome (a failed send is still an answer, with ok false).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { TestResultSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const testChannel = (id: string) =>
  apiRequest(`/notifications/channels/${encodeURIComponent(id)}/test`, { method: 'POST', schema: TestResultSchema });

export function useTestChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: testChannel,
    meta: { inlineErrors: true },
    onSettled: () => void qc.invalidateQueries({ queryKey: ['notifications', 'deliveries'] }),
  });
}
