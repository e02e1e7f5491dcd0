// POST /v1/intel/lists (manual or watched path). Errors stay on the form.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IndicatorListSchema } from '@siem/contracts';
import type { IndicatorListCreateRequest } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { intelListsKey } from './intel-lists.ts';

export const createIntelList = (body: IndicatorListCreateRequest) => apiRequest('/intel/lists', { method: 'POST', body, schema: IndicatorListSchema });

export function useCreateIntelList() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: createIntelList, meta: { inlineErrors: true }, onSuccess: () => void qc.invalidateQueries({ queryKey: intelListsKey }) });
}
