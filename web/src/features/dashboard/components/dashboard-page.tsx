// The dashboard: counts, the timeline, severity split, top sources and the live alerts.
import { LiveAlerts } from './live-alerts.tsx';
import { SeverityChart } from './severity-chart.tsx';
import { StatCards } from './stat-cards.tsx';
import { TimelineChart } from './timeline-chart.tsx';
import { TopSourcesPanel } from './top-sources-panel.tsx';

export default function DashboardPage() {
  return (
    <div className="page">
      <header className="page-head">
        <h1>Dashboard</h1>
      </header>
      <StatCards />
      <div className="dash-grid">
        <TimelineChart />
        <LiveAlerts />
        <SeverityChart />
        <TopSourcesPanel />
      </div>
    </div>
  );
}
