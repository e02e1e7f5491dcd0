// POST /v1/rules/import: Sigma YAML files in, one result per YAML document out (created,
// updated in place by Sigma id, unchanged, included in a correlation, refused with the
// reason and where). The shapes are declared here, loosely, until the shared contract
// has them: an unknown status or an extra key is shown, not rejected.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { rulesKey } from './rules.ts';

export const ImportItemSchema = z.object({
  file: z.string(),
  document: z.number().int().nullable().optional(),
  title: z.string().nullable().optional(),
  sigma_id: z.string().nullable().optional(),
  status: z.string(),
  rule_id: z.string().nullable().optional(),
  rule_type: z.string().nullable().optional(),
  reason: z.string().nullable().optional(),
  location: z.object({ field: z.string().optional(), modifier: z.string().optional() }).nullable().optional(),
  warnings: z.array(z.string()).optional().default([]),
});
export type ImportItem = z.infer<typeof ImportItemSchema>;

export const ImportResultSchema = z.object({
  dry_run: z.boolean().optional(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  refused: z.number().int(),
  results: z.array(ImportItemSchema),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;

export interface ImportRequest {
  files: { name: string; content: string }[];
  enabled: boolean;
  dry_run: boolean;
}

/** Bounds checked before sending (the server checks its own). */
export const IMPORT_LIMITS = { maxFiles: 500, maxBytes: 5 * 1024 * 1024 } as const;

export const importRules = (body: ImportRequest) => apiRequest('/rules/import', { method: 'POST', body, schema: ImportResultSchema });

export function useImportRules() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: importRules,
    meta: { inlineErrors: true },
    onSuccess: (r) => {
      if (!r.dry_run && r.created + r.updated > 0) void qc.invalidateQueries({ queryKey: rulesKey });
    },
  });
}
