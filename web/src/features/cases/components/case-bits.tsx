// Small pieces the case pages share: the status pill, comment text with highlighted
// mentions, and a username input completed from the active accounts.
import { useState } from 'react';
import type { CaseStatus } from '@siem/contracts';
import { MENTION_PATTERN } from '@siem/contracts';
import { humanize } from '../../../lib/format.ts';
import { useAssignees } from '../api/cases.ts';
import './cases.css';

export function CaseStatusBadge({ status }: { status: CaseStatus }) {
  return <span className={`badge case-status case-status-${status}`}>{humanize(status)}</span>;
}

/** Comment text with `@name` shown as a mention when `mentions` (stored by the server) names it. */
export function CommentText({ body, mentions }: { body: string; mentions: string[] }) {
  const known = new Set(mentions.map((m) => m.toLowerCase()));
  const parts: (string | { name: string })[] = [];
  let last = 0;
  for (const m of body.matchAll(new RegExp(MENTION_PATTERN.source, 'g'))) {
    const name = m[2]!.replace(/[.-]+$/, '');
    if (!known.has(name.toLowerCase())) continue;
    const at = m.index! + m[1]!.length;
    parts.push(body.slice(last, at), { name });
    last = at + 1 + name.length;
  }
  parts.push(body.slice(last));
  return (
    <p>
      {parts.map((p, i) => (typeof p === 'string' ? p : <span key={i} className="mention" data-testid="mention">@{p.name}</span>))}
    </p>
  );
}

/** A text input with the active accounts starting with what is typed as suggestions. */
export function UserInput({ id, value, onChange, placeholder, label }: { id?: string; value: string; onChange: (v: string) => void; placeholder?: string; label?: string }) {
  const [listId] = useState(() => `users-${Math.random().toString(36).slice(2, 8)}`);
  const users = useAssignees(value.trim(), value.trim().length > 0);
  return (
    <>
      <input id={id} aria-label={label} list={listId} value={value} placeholder={placeholder} maxLength={64} autoComplete="off" onChange={(e) => onChange(e.target.value)} />
      <datalist id={listId}>
        {(users.data ?? []).map((u) => <option key={u.id} value={u.username} />)}
      </datalist>
    </>
  );
}
