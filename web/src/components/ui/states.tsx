// Loading, error and empty placeholders, so every list and panel says what is going on.
import type { ReactNode } from 'react';
import { errorMessage } from '../../lib/api-client.ts';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function ErrorState({ error, onRetry, title = 'Could not load this' }: { error: unknown; onRetry?: () => void; title?: string }) {
  return (
    <div className="state state-error" role="alert">
      <strong>{title}</strong>
      <span>{errorMessage(error)}</span>
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

/** The message under a form or next to an action, announced to screen readers. */
export function FormError({ message, id }: { message: string | null | undefined; id?: string }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert" id={id}>
      {message}
    </p>
  );
}

/** What a panel needs of a TanStack query to pick its state. */
export interface QueryLike<T> {
  isPending: boolean;
  error: unknown;
  data: T | undefined;
  refetch: () => unknown;
}

/**
 * The loading / error / empty branches every data panel shares. An error only replaces
 * the content when there is no data yet (a failed background refetch keeps the last data;
 * the toaster reports it). `children` renders the data once there is some.
 */
export function QueryStates<T>({ query, isEmpty, empty, children }: {
  query: QueryLike<T>;
  isEmpty: boolean;
  empty: ReactNode;
  children: (data: NonNullable<T>) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.data === undefined || query.data === null) {
    return query.error ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : <Empty>{empty}</Empty>;
  }
  if (isEmpty) return <Empty>{empty}</Empty>;
  return <>{children(query.data as NonNullable<T>)}</>;
}
