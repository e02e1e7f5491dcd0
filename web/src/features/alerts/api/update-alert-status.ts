// PATCH /v1/alerts/{id}/status with the new status and optional notes. The answer is put
// into the detail at once; lists and the detail (for its history) are refetched.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AlertSchema } from '@siem/contracts';
import type { AlertDetail, AlertStatusUpdate } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { alertDetailKey } from './alert-detail.ts';

export const updateAlertStatus = (id: string, body: AlertStatusUpdate) =>
  apiRequest(`/alerts/${encodeURIComponent(id)}/status`, { method: 'PATCH', body, schema: AlertSchema });

export function useUpdateAlertStatus(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AlertStatusUpdate) => updateAlertStatus(id, body),
    meta: { inlineErrors: true },
    onSuccess: (alert) => {
      qc.setQueryData<AlertDetail>(alertDetailKey(id), (cur) => (cur ? { ...cur, alert } : cur));
      void qc.invalidateQueries({ queryKey: ['alerts'] });
    },
  });
}
