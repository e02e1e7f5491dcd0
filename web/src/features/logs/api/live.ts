// The live tail in the query cache: `log` messages are kept newest first, numbered as
// they arrive (so a paused view can hold its place), capped so a firehose cannot grow
// memory without bound. A manual reconnect (events may be lost) trims and refetches lists.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient, InfiniteData } from '@tanstack/react-query';
import type { LogFeedItem } from '@siem/contracts';

export const LIVE_MAX = 10_000;
export type LiveLog = LogFeedItem & { seq: number };
export interface LiveLogs {
  items: LiveLog[];
  seq: number;
}
export const liveLogsKey = ['logs', 'live'] as const;
export const EMPTY_LIVE: LiveLogs = { items: [], seq: 0 };

export function appendLive(cur: LiveLogs | undefined, batch: LogFeedItem[], max = LIVE_MAX): LiveLogs {
  const base = cur ?? EMPTY_LIVE;
  let seq = base.seq;
  const fresh: LiveLog[] = [];
  for (const item of batch) fresh.push({ ...item, seq: ++seq });
  fresh.reverse();
  const items = fresh.length >= max ? fresh.slice(0, max) : fresh.concat(base.items.slice(0, max - fresh.length));
  return { items, seq };
}

export function createLogsLive(queryClient: QueryClient) {
  // Nobody may be watching yet: the tail still fills so the log view opens with it.
  queryClient.setQueryDefaults(liveLogsKey, { gcTime: Infinity, staleTime: Infinity });
  return {
    onLogs: (batch: LogFeedItem[]) => queryClient.setQueryData<LiveLogs>(liveLogsKey, (cur) => appendLive(cur, batch)),
    onResync: () => {
      for (const prefix of [['logs', 'list'], ['logs', 'search']]) {
        queryClient.setQueriesData<InfiniteData<unknown, unknown>>({ queryKey: prefix }, (d) =>
          d ? { pages: d.pages.slice(0, 1), pageParams: d.pageParams.slice(0, 1) } : d,
        );
        void queryClient.invalidateQueries({ queryKey: prefix });
      }
    },
    stop: () => queryClient.removeQueries({ queryKey: liveLogsKey }),
  };
}

/** The tail as it is in the cache (filled by the live feed, never fetched). */
export function useLiveLogs(): LiveLogs {
  const qc = useQueryClient();
  const { data } = useQuery({ queryKey: liveLogsKey, queryFn: () => qc.getQueryData<LiveLogs>(liveLogsKey) ?? EMPTY_LIVE, staleTime: Infinity });
  return data ?? EMPTY_LIVE;
}
