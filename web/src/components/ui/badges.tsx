// Severity and status pills. The enum value is the class key, the label is
// humanized; colour is never the only signal (the text is always there).
import type { AlertStatus, RunStatus, Severity } from '@siem/contracts';
import { humanize } from '../../lib/format.ts';

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`badge sev sev-${severity}`}>{severity}</span>;
}

export function StatusBadge({ status }: { status: AlertStatus }) {
  return <span className={`badge status status-${status}`}>{humanize(status)}</span>;
}

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return <span className={`badge run run-${status}`}>{humanize(status)}</span>;
}

export function Tag({ children, href }: { children: string; href?: string | null }) {
  if (href) {
    return (
      <a className="tag" href={href} target="_blank" rel="noopener noreferrer" title={`${children} on MITRE ATT&CK (opens in a new tab)`}>
        {children}
      </a>
    );
  }
  return <span className="tag">{children}</span>;
}
