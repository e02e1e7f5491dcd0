// Opens the two live feeds while signed in and routes their messages to the features'
// cache handlers; closes them on sign-out or token change. Before a manual reconnect it
// checks the session (GET /auth/me): an expired token ends the session instead of
// retrying forever.
import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { AlertFeedItemSchema, LogFeedItemSchema } from '@siem/contracts';
import type { z } from 'zod';
import { createAlertsLive } from '../features/alerts/api/live.ts';
import { getMe } from '../features/auth/api/me.ts';
import { createDashboardLive } from '../features/dashboard/api/live.ts';
import { createLogsLive } from '../features/logs/api/live.ts';
import { isApiError } from '../lib/api-client.ts';
import { useSession } from '../lib/session.ts';
import { startLiveFeeds } from '../lib/sse.ts';

const parseWith = <T,>(schema: z.ZodType<T>) => (data: unknown): T | null => {
  const r = schema.safeParse(data);
  return r.success ? r.data : null;
};

export function LiveFeeds() {
  const token = useSession((s) => s.token);
  const qc = useQueryClient();
  useEffect(() => {
    if (!token) return;
    const dashboard = createDashboardLive(qc);
    const alerts = createAlertsLive(qc);
    const logs = createLogsLive(qc);
    const feeds = startLiveFeeds({
      queryClient: qc,
      token,
      feeds: [
        {
          name: 'alerts',
          path: '/alerts/stream',
          event: 'alert',
          parse: parseWith(AlertFeedItemSchema),
          onBatch: (items) => {
            alerts.onAlerts(items);
            dashboard.onAlerts(items);
          },
          onResync: () => {
            alerts.onResync();
            dashboard.onResync();
          },
        },
        {
          name: 'logs',
          path: '/logs/stream',
          event: 'log',
          parse: parseWith(LogFeedItemSchema),
          onBatch: (items) => {
            logs.onLogs(items);
            dashboard.onEvents();
          },
          onResync: () => {
            logs.onResync();
            dashboard.onResync();
          },
        },
      ],
      beforeReconnect: async () => {
        try {
          await getMe();
          return true;
        } catch (e) {
          // 401: the session has just been ended by the API client; anything else: retry.
          return !(isApiError(e) && e.status === 401);
        }
      },
    });
    return () => {
      feeds.stop();
      dashboard.stop();
      alerts.stop();
      logs.stop();
    };
  }, [token, qc]);
  return null;
}
