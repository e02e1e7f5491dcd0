// Routes, one lazily loaded chunk per page so the first load carries only the shell.
import { lazy, Suspense } from 'react';
import type { ComponentType, ReactNode } from 'react';
import { createBrowserRouter, Link } from 'react-router';
import { Loading } from '../components/ui/states.tsx';
import { AppShell } from './app-shell.tsx';
import { PublicOnly, RequireAdmin, RequireAuth, RequireEngineer } from './guards.tsx';

const named = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));

const LandingPage = named(() => import('../features/auth/components/landing-page.tsx'), 'LandingPage');
const LoginPage = named(() => import('../features/auth/components/login-page.tsx'), 'LoginPage');
const RegisterPage = named(() => import('../features/auth/components/register-page.tsx'), 'RegisterPage');
const SetupPage = named(() => import('../features/auth/components/setup-page.tsx'), 'SetupPage');
const DashboardPage = lazy(() => import('../features/dashboard/components/dashboard-page.tsx'));
const LogsPage = lazy(() => import('../features/logs/components/logs-page.tsx'));
const AlertsPage = lazy(() => import('../features/alerts/components/alerts-page.tsx'));
const AlertDetailPage = lazy(() => import('../features/alerts/components/alert-detail-page.tsx'));
const RulesPage = lazy(() => import('../features/rules/components/rules-page.tsx'));
const RuleEditPage = lazy(() => import('../features/rules/components/rule-edit-page.tsx'));
const RuleImportPage = lazy(() => import('../features/rules/components/rule-import-page.tsx'));
const CoveragePage = lazy(() => import('../features/coverage/components/coverage-page.tsx'));
const ListsPage = lazy(() => import('../features/lists/components/lists-page.tsx'));
const IntelPage = lazy(() => import('../features/intel/components/intel-page.tsx'));
const ScenariosPage = lazy(() => import('../features/scenarios/components/scenarios-page.tsx'));
const SourcesPage = lazy(() => import('../features/sources/components/sources-page.tsx'));
const UsersPage = lazy(() => import('../features/users/components/users-page.tsx'));
const ClusterPage = lazy(() => import('../features/cluster/components/cluster-page.tsx'));
const CasesPage = lazy(() => import('../features/cases/components/cases-page.tsx'));
const MyCasesPage = named(() => import('../features/cases/components/cases-page.tsx'), 'MyCasesPage');
const CaseDetailPage = lazy(() => import('../features/cases/components/case-detail-page.tsx'));
const MyAlertsPage = lazy(() => import('../features/cases/components/my-alerts-page.tsx'));
const NotificationsPage = lazy(() => import('../features/notifications/components/notifications-page.tsx'));
const SettingsPage = lazy(() => import('../features/settings/components/settings-page.tsx'));

const publicPage = (node: ReactNode) => (
  <PublicOnly>
    <Suspense fallback={<Loading />}>{node}</Suspense>
  </PublicOnly>
);

function NotFound() {
  return (
    <div className="page">
      <div className="state state-empty">
        <strong>Page not found</strong>
        <Link to="/">Go to the start page</Link>
      </div>
    </div>
  );
}

export function createRouter() {
  return createBrowserRouter([
    { path: '/', element: publicPage(<LandingPage />) },
    { path: '/login', element: publicPage(<LoginPage />) },
    { path: '/register', element: publicPage(<RegisterPage />) },
    { path: '/setup', element: publicPage(<SetupPage />) },
    {
      element: (
        <RequireAuth>
          <AppShell />
        </RequireAuth>
      ),
      children: [
        { path: '/dashboard', element: <DashboardPage /> },
        { path: '/logs', element: <LogsPage /> },
        { path: '/alerts', element: <AlertsPage /> },
        { path: '/alerts/:alertId', element: <AlertDetailPage /> },
        { path: '/cases', element: <CasesPage /> },
        { path: '/cases/:caseId', element: <CaseDetailPage /> },
        { path: '/my/cases', element: <MyCasesPage /> },
        { path: '/my/alerts', element: <MyAlertsPage /> },
        { path: '/rules', element: <RulesPage /> },
        { path: '/rules/new', element: <RuleEditPage /> },
        { path: '/rules/import', element: <RequireEngineer what="Importing Sigma rules changes detections; it"><RuleImportPage /></RequireEngineer> },
        { path: '/rules/:ruleId', element: <RuleEditPage /> },
        { path: '/coverage', element: <CoveragePage /> },
        { path: '/lists', element: <ListsPage /> },
        { path: '/intel', element: <IntelPage /> },
        { path: '/scenarios', element: <ScenariosPage /> },
        { path: '/sources', element: <RequireEngineer what="The Sources page shows input addresses and raw log lines; it"><SourcesPage /></RequireEngineer> },
        { path: '/users', element: <RequireAdmin><UsersPage /></RequireAdmin> },
        { path: '/cluster', element: <RequireAdmin what="This page shows the server processes and their hosts; it"><ClusterPage /></RequireAdmin> },
        { path: '/notifications', element: <RequireAdmin what="Notification channels hold secrets and send alerts to other systems; this page"><NotificationsPage /></RequireAdmin> },
        { path: '/settings', element: <SettingsPage /> },
      ],
    },
    { path: '*', element: <NotFound /> },
  ]);
}
