// The centred card that landing, login and register share.
import type { ReactNode } from 'react';
import { Link } from 'react-router';

export function AuthLayout({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <Link to="/" className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          SIEM
        </Link>
        <h1>{title}</h1>
        {children}
        {footer && <div className="auth-footer">{footer}</div>}
      </div>
    </main>
  );
}
