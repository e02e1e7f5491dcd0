// POST /v1/lists. Errors stay on the form (422 details at their fields or item lines, 409 at the name).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ListSchema } from '@siem/contracts';
import type { ListCreate } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { listsKey } from './lists.ts';

export const createList = (body: Partial<ListCreate>) => apiRequest('/lists', { method: 'POST', body, schema: ListSchema });

export function useCreateList() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createList,
    meta: { inlineErrors: true },
    onSuccess: () => void qc.invalidateQueries({ queryKey: listsKey }),
  });
}
