// The signed-in frame: navigation, live-connection indicator, account menu, the page
// (lazy, with a loading fallback), the live feeds, and a refresh of the caller's
// record so a role change made by an admin shows without signing in again.
import { Suspense, useEffect } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useMe } from '../features/auth/api/me.ts';
import { Loading } from '../components/ui/states.tsx';
import { canSeeSources, useSession } from '../lib/session.ts';
import { useConnection } from '../lib/sse.ts';
import { LiveFeeds } from './live-feeds.tsx';

const NAV = [
  { to: '/dashboard', label: 'Dashboard' },
  { to: '/logs', label: 'Logs' },
  { to: '/alerts', label: 'Alerts' },
  { to: '/my/alerts', label: 'My alerts' },
  { to: '/cases', label: 'Cases' },
  { to: '/my/cases', label: 'My cases' },
  { to: '/rules', label: 'Rules' },
  { to: '/coverage', label: 'Coverage' },
  { to: '/lists', label: 'Lists' },
  { to: '/intel', label: 'Threat intel' },
  { to: '/scenarios', label: 'Scenarios' },
];

function ConnectionIndicator() {
  const feeds = useConnection((s) => s.feeds);
  const states = Object.values(feeds).map((f) => f.status);
  const status = states.length === 0 ? 'connecting'
    : states.every((s) => s === 'open') ? 'open'
      : states.some((s) => s === 'closed') ? 'closed'
        : states.some((s) => s === 'reconnecting') ? 'reconnecting' : 'connecting';
  const label = { open: 'Live', connecting: 'Connecting…', reconnecting: 'Reconnecting…', closed: 'Offline' }[status];
  return (
    <span className="conn" role="status" data-testid="connection" data-status={status}>
      <span className={`live-dot ${status}`} aria-hidden="true" /> {label}
    </span>
  );
}

export function AppShell() {
  const user = useSession((s) => s.user);
  const token = useSession((s) => s.token);
  const setUser = useSession((s) => s.setUser);
  const end = useSession((s) => s.end);
  const me = useMe(!!token);
  useEffect(() => {
    if (me.data && JSON.stringify(me.data) !== JSON.stringify(user)) setUser(me.data);
  }, [me.data, user, setUser]);

  return (
    <div className="shell">
      <a href="#main" className="skip-link">Skip to content</a>
      <header className="topbar">
        <NavLink to="/dashboard" className="brand"><span className="brand-mark" aria-hidden="true" />SIEM</NavLink>
        <nav className="mainnav" aria-label="Main">
          {NAV.map((n) => <NavLink key={n.to} to={n.to}>{n.label}</NavLink>)}
          {canSeeSources(user?.role) && <NavLink to="/sources">Sources</NavLink>}
          {user?.role === 'admin' && <NavLink to="/users">Users</NavLink>}
          {user?.role === 'admin' && <NavLink to="/cluster">Cluster</NavLink>}
          {user?.role === 'admin' && <NavLink to="/notifications">Notifications</NavLink>}
        </nav>
        <div className="topbar-end">
          <ConnectionIndicator />
          <NavLink to="/settings" className="user-link" title="Settings">
            {user?.username ?? 'Account'} <span className="muted small">{user?.role}</span>
          </NavLink>
          <button type="button" className="btn btn-small" onClick={() => end('logout')}>Sign out</button>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <Suspense fallback={<div className="page"><Loading /></div>}>
          <Outlet />
        </Suspense>
      </main>
      <LiveFeeds />
    </div>
  );
}
