// Comments, oldest first, with mentions highlighted; the box suggests accounts when a
// word starting with @ is being typed and completes it on click.
import { useState } from 'react';
import type { CaseComment } from '@siem/contracts';
import { CASE_LIMITS } from '@siem/contracts';
import { Empty, FormError } from '../../../components/ui/states.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useAddComment, useAssignees } from '../api/cases.ts';
import { CommentText } from './case-bits.tsx';

/** The `@prefix` being typed at the end of the text, if any. */
export function mentionPrefix(text: string): string | null {
  const m = /(?:^|\s)@([A-Za-z0-9._-]{0,32})$/.exec(text);
  return m ? m[1]! : null;
}

export function CaseComments({ caseId, comments }: { caseId: string; comments: CaseComment[] }) {
  const [body, setBody] = useState('');
  const add = useAddComment(caseId);
  const prefix = mentionPrefix(body);
  const suggestions = useAssignees(prefix ?? '', prefix !== null);
  const complete = (username: string) => setBody(body.replace(/@([A-Za-z0-9._-]{0,32})$/, `@${username} `));
  return (
    <section className="card panel" aria-labelledby="case-comments-title">
      <header className="panel-head"><h2 id="case-comments-title">Comments</h2></header>
      {comments.length === 0 ? <Empty>No comments yet.</Empty> : (
        <ol className="case-comments" data-testid="case-comments">
          {comments.map((c) => (
            <li key={c.id}>
              <div className="muted small">{c.author} · {formatDateTime(c.created_at)}</div>
              <CommentText body={c.body} mentions={c.mentions} />
            </li>
          ))}
        </ol>
      )}
      <form className="form" onSubmit={(e) => { e.preventDefault(); add.mutate(body.trim(), { onSuccess: () => setBody('') }); }}>
        <div className="field">
          <label htmlFor="case-comment">Add a comment (mention someone with @username)</label>
          <textarea id="case-comment" rows={3} value={body} maxLength={CASE_LIMITS.commentMax} onChange={(e) => setBody(e.target.value)} />
        </div>
        {prefix !== null && (suggestions.data?.length ?? 0) > 0 && (
          <ul className="mention-suggestions" aria-label="Mention suggestions">
            {suggestions.data!.slice(0, 8).map((u) => (
              <li key={u.id}><button type="button" className="btn btn-small" onClick={() => complete(u.username)}>@{u.username}</button></li>
            ))}
          </ul>
        )}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary btn-small" disabled={add.isPending || !body.trim()}>Comment</button>
        </div>
        <FormError message={add.error ? errorMessage(add.error) : null} />
      </form>
    </section>
  );
}
