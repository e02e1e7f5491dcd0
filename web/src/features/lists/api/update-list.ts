// PATCH /v1/lists/{id}: description and/or the whole item list (replaced).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ListSchema } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';
import { listKey } from './list.ts';
import { listsKey } from './lists.ts';

export interface ListChange {
  id: string;
  description?: string;
  items?: string[];
}

export const updateList = ({ id, ...body }: ListChange) =>
  apiRequest(`/lists/${encodeURIComponent(id)}`, { method: 'PATCH', body, schema: ListSchema });

export function useUpdateList() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: updateList,
    meta: { inlineErrors: true },
    onSuccess: (list) => {
      qc.setQueryData(listKey(list.id), list);
      void qc.invalidateQueries({ queryKey: listsKey });
    },
  });
}
