// POST /v1/intel/lists/{id}/import?format=...: a feed file's text as the body.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ImportStatsSchema } from '@siem/contracts';
import type { IntelFormat } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const importIntel = ({ id, format, text, replace }: { id: string; format: IntelFormat; text: string; replace: boolean }) =>
  apiRequest(`/intel/lists/${encodeURIComponent(id)}/import`, { method: 'POST', query: { format, replace: replace || undefined }, rawBody: text, schema: ImportStatsSchema });

export function useImportIntel() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: importIntel, meta: { inlineErrors: true }, onSuccess: () => void qc.invalidateQueries({ queryKey: ['intel'] }) });
}
