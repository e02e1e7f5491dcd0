// POST /v1/intel/lists/{id}/indicators (one indicator) and DELETE .../indicators/{indicator_id}.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { DeletedSchema, IndicatorSchema } from '@siem/contracts';
import type { IndicatorCreateRequest } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const addIndicator = ({ id, body }: { id: string; body: IndicatorCreateRequest }) =>
  apiRequest(`/intel/lists/${encodeURIComponent(id)}/indicators`, { method: 'POST', body, schema: IndicatorSchema });

export const deleteIndicator = ({ id, indicatorId }: { id: string; indicatorId: string }) =>
  apiRequest(`/intel/lists/${encodeURIComponent(id)}/indicators/${encodeURIComponent(indicatorId)}`, { method: 'DELETE', schema: DeletedSchema });

export function useAddIndicator() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: addIndicator, meta: { inlineErrors: true }, onSuccess: () => void qc.invalidateQueries({ queryKey: ['intel'] }) });
}

export function useDeleteIndicator() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: deleteIndicator, meta: { inlineErrors: true }, onSuccess: () => void qc.invalidateQueries({ queryKey: ['intel'] }) });
}
