// Dashboard aggregates, read from the rollups the writer maintains (never a scan of the
// events). Alert counts come from an optional provider until detection is wired in.
import type { AlertStatus, Overview, SeverityCount, TimelineBucket, TopSource } from '@siem/contracts';
import type { RollupsRepo } from '../store/rollups-repo.ts';

export interface AlertCounts {
  total: number;
  byStatus: Partial<Record<AlertStatus, number>>;
  critical: number;
}

const OPEN: AlertStatus[] = ['new', 'acknowledged', 'investigating'];

export function createDashboardService(deps: {
  rollups: RollupsRepo;
  alertCounts?: () => Promise<AlertCounts>;
  clock?: () => number;
}) {
  const clock = deps.clock ?? Date.now;
  const noAlerts = async (): Promise<AlertCounts> => ({ total: 0, byStatus: {}, critical: 0 });
  const alertCounts = deps.alertCounts ?? noAlerts;

  async function severityBreakdown(): Promise<SeverityCount[]> {
    return deps.rollups.severityTotals();
  }

  return {
    severityBreakdown,

    async overview(): Promise<Overview> {
      const [severities, alerts] = await Promise.all([severityBreakdown(), alertCounts()]);
      return {
        total_events: severities.reduce((n, s) => n + s.count, 0),
        total_alerts: alerts.total,
        open_alerts: OPEN.reduce((n, s) => n + (alerts.byStatus[s] ?? 0), 0),
        critical_alerts: alerts.critical,
        alerts_by_status: alerts.byStatus,
        severity_breakdown: severities,
      };
    },

    async timeline(hours: number, bucketMinutes: number): Promise<TimelineBucket[]> {
      const now = clock();
      const rows = await deps.rollups.timeline(now - hours * 3_600_000, now, bucketMinutes);
      const buckets = new Map<number, TimelineBucket>();
      for (const row of rows) {
        let bucket = buckets.get(row.bucketMs);
        if (!bucket) {
          bucket = { bucket: new Date(row.bucketMs).toUTCString(), count: 0, by_severity: {} };
          buckets.set(row.bucketMs, bucket);
        }
        bucket.count += row.count;
        bucket.by_severity[row.severity] = (bucket.by_severity[row.severity] ?? 0) + row.count;
      }
      return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
    },

    async topSources(limit: number): Promise<TopSource[]> {
      return deps.rollups.topSources(limit);
    },
  };
}
export type DashboardService = ReturnType<typeof createDashboardService>;
