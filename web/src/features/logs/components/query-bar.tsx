// The query-language search bar: checked by the server as the analyst types (debounced),
// the faulty part of the query underlined with a caret and the message; a syntax help
// popover; applied on Enter (into the URL as ?query=); and, for engineers, "Create
// detection", which opens the rule editor prefilled with the search as a rule.
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { QueryError } from '@siem/contracts';
import { QUERY_LIMITS } from '@siem/contracts';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { useCanEditRules } from '../../../lib/session.ts';
import { useQueryValidation, useRuleFromQuery } from '../api/query-language.ts';
import { QueryHelp } from './query-help.tsx';
import './query-bar.css';

const DEBOUNCE_MS = 250;

interface Props {
  /** The applied query (from the URL). */
  value: string | null;
  onApply: (query: string | null) => void;
}

function useDebounced(value: string): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [value]);
  return settled;
}

/** The query with the faulty part marked and a caret line under it. */
function ErrorPlace({ text, error }: { text: string; error: QueryError }) {
  const pos = Math.min(error.position, text.length);
  const len = Math.max(1, Math.min(error.length, text.length - pos));
  return (
    <div className="query-error" role="alert" data-testid="query-error" data-position={error.position} data-length={error.length}>
      <pre className="query-caret mono" aria-hidden="true">
        {text.slice(0, pos)}
        <mark>{text.slice(pos, pos + len) || ' '}</mark>
        {text.slice(pos + len)}
        {'\n'}
        {' '.repeat(pos)}
        {'^'.repeat(len)}
      </pre>
      <p>
        {error.message}
        {error.suggestion ? <> · did you mean <code>{error.suggestion}</code>?</> : null}
      </p>
    </div>
  );
}

/** A located error from a 422 answer (details carry position and length), if it is one. */
function locatedFrom(e: unknown): QueryError | null {
  if (!isApiError(e)) return null;
  const d = e.details[0];
  if (d?.position === undefined) return { message: e.message, position: 0, length: 0 };
  return { message: e.message, position: d.position, length: d.length ?? 0 };
}

export function QueryBar({ value, onApply }: Props) {
  const [draft, setDraft] = useState(value ?? '');
  const [showHelp, setShowHelp] = useState(false);
  // Back / forward and pivots change the URL: the box follows.
  useEffect(() => setDraft(value ?? ''), [value]);
  const settled = useDebounced(draft);
  const validation = useQueryValidation(settled);
  const canEdit = useCanEditRules();
  const fromQuery = useRuleFromQuery();
  const navigate = useNavigate();
  const [ruleError, setRuleError] = useState<QueryError | null>(null);
  useEffect(() => setRuleError(null), [draft]);

  const current = settled === draft ? validation.data : undefined;
  const syntaxError = current && !current.valid ? current.error : null;
  const error = syntaxError ?? ruleError;

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (syntaxError) return;
    onApply(draft.trim() === '' ? null : draft);
  };

  const createDetection = async () => {
    try {
      const body = await fromQuery.mutateAsync(draft);
      navigate('/rules/new', { state: { draft: body } });
    } catch (err) {
      setRuleError(locatedFrom(err) ?? { message: errorMessage(err), position: 0, length: 0 });
    }
  };

  return (
    <form className="query-bar card" role="search" aria-label="Search query" onSubmit={apply}>
      <div className="query-row">
        <label htmlFor="log-query" className="sr-only">Query</label>
        <input id="log-query" type="search" className="mono query-input" autoComplete="off" spellCheck={false}
          placeholder='Query: event_type:ssh_failed AND source_ip:10.0.0.0/8 -username:root' maxLength={QUERY_LIMITS.maxLength}
          value={draft} aria-invalid={!!error} aria-describedby={error ? 'log-query-error' : undefined}
          onChange={(e) => setDraft(e.target.value)} />
        <button type="submit" className="btn btn-primary" disabled={!!syntaxError}>Search</button>
        <button type="button" className="btn" aria-expanded={showHelp} aria-controls="query-help" onClick={() => setShowHelp((s) => !s)}>
          Syntax
        </button>
        {canEdit && (
          <button type="button" className="btn" data-testid="create-detection" disabled={draft.trim() === '' || !!syntaxError || fromQuery.isPending}
            title="Open the rule editor with this search as a rule" onClick={() => void createDetection()}>
            Create detection
          </button>
        )}
      </div>
      {error ? (
        <div id="log-query-error"><ErrorPlace text={draft} error={error} /></div>
      ) : current?.valid && current.normalized && current.normalized !== draft.trim() ? (
        <p className="muted query-normalized">Reads as <code>{current.normalized}</code></p>
      ) : null}
      {showHelp && <QueryHelp onPick={(example) => setDraft(example)} />}
    </form>
  );
}
