// GET /v1/notifications/channels (admin): every channel, secrets masked; and the mutations
// that change them (create, update, delete), which refresh the list.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ChannelSchema, DeletedSchema } from '@siem/contracts';
import type { ChannelCreate, ChannelUpdate } from '@siem/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

export const channelsKey = ['notifications', 'channels'] as const;

export const getChannels = () => apiRequest('/notifications/channels', { schema: z.array(ChannelSchema) });

export const channelsQueryOptions = () => queryOptions({ queryKey: channelsKey, queryFn: getChannels });

export const useChannels = () => useQuery(channelsQueryOptions());

export const createChannel = (body: ChannelCreate) => apiRequest('/notifications/channels', { method: 'POST', body, schema: ChannelSchema });
export const updateChannel = ({ id, body }: { id: string; body: ChannelUpdate }) =>
  apiRequest(`/notifications/channels/${encodeURIComponent(id)}`, { method: 'PATCH', body, schema: ChannelSchema });
export const deleteChannel = (id: string) => apiRequest(`/notifications/channels/${encodeURIComponent(id)}`, { method: 'DELETE', schema: DeletedSchema });

export function useSaveChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string | null; create?: ChannelCreate; update?: ChannelUpdate }) =>
      v.id ? updateChannel({ id: v.id, body: v.update ?? {} }) : createChannel(v.create!),
    meta: { inlineErrors: true },
    onSuccess: () => void qc.invalidateQueries({ queryKey: channelsKey }),
  });
}

export function useDeleteChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteChannel,
    meta: { inlineErrors: true },
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['notifications'] }),
  });
}
