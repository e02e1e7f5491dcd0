// POST /v1/notifications/preview: the template rendered for a sample alert, and what the
// channel kind would send. Read as a query keyed by the (debounced) template and kind.
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { PreviewSchema } from '@siem/contracts';
import type { ChannelKind } from '@siem/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export const previewKey = (template: string, kind: ChannelKind) => ['notifications', 'preview', kind, template] as const;

export const getPreview = (template: string, kind: ChannelKind) =>
  apiRequest('/notifications/preview', { method: 'POST', body: { template, kind }, schema: PreviewSchema });

export const previewQueryOptions = (template: string, kind: ChannelKind) =>
  queryOptions({ queryKey: previewKey(template, kind), queryFn: () => getPreview(template, kind), placeholderData: keepPreviousData, retry: false, staleTime: 60_000 });

export const usePreview = (template: string, kind: ChannelKind) => useQuery(previewQueryOptions(template, kind));
