// Route guards: signed-in pages send visitors to /login (remembering where they were
// going), admin pages tell analysts they cannot go there, public pages send signed-in
// users to the dashboard.
import type { ReactNode } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import { canSeeSources, useSession } from '../lib/session.ts';

export function RequireAuth({ children }: { children: ReactNode }) {
  const token = useSession((s) => s.token);
  const location = useLocation();
  if (!token) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return children;
}

export function RequireAdmin({ children, what = 'This page manages accounts and' }: { children: ReactNode; what?: string }) {
  const role = useSession((s) => s.user?.role);
  if (role !== 'admin') {
    return (
      <div className="page">
        <div className="state state-error" role="alert" data-testid="forbidden">
          <strong>Admins only</strong>
          <span>{what} needs the admin role. Ask an admin if you need access.</span>
          <Link to="/dashboard" className="btn btn-small">Back to the dashboard</Link>
        </div>
      </div>
    );
  }
  return children;
}

/** Pages for engineers and admins (the intake sources): others are told why, not sent away silently. */
export function RequireEngineer({ children, what }: { children: ReactNode; what: string }) {
  const role = useSession((s) => s.user?.role);
  if (!canSeeSources(role)) {
    return (
      <div className="page">
        <div className="state state-error" role="alert" data-testid="forbidden">
          <strong>Engineers and admins only</strong>
          <span>{what} needs the engineer or admin role. Ask an admin if you need access.</span>
          <Link to="/dashboard" className="btn btn-small">Back to the dashboard</Link>
        </div>
      </div>
    );
  }
  return children;
}

export function PublicOnly({ children }: { children: ReactNode }) {
  const token = useSession((s) => s.token);
  if (token) return <Navigate to="/dashboard" replace />;
  return children;
}
