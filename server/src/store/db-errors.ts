// How store errors are told apart: "no usable connection" (the store is unavailable)
// versus "this statement failed", and a statement cancelled on purpose.
// Errors that say "no usable connection" rather than "this statement failed": SQLSTATE
// class 08 (connection exception), too many connections, the server shutting down or
// starting up, and the socket errors of an unreachable server.
const UNAVAILABLE_STATES = new Set(['53300', '57P01', '57P02', '57P03']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const unavailable = new WeakSet<object>();

export function markUnavailable(err: unknown): unknown {
  if (typeof err === 'object' && err !== null) unavailable.add(err);
  return err;
}

/**
 * True when the store could not be reached or gave no connection in time (the request
 * may succeed later: 503, not 500). Decided by error class, SQLSTATE and socket error
 * code, never by message text.
 */
export function isStoreUnavailable(err: unknown): boolean {
  if (typeof err === 'object' && err !== null && unavailable.has(err)) return true;
  const code = (err as { code?: unknown } | null)?.code;
  // Socket codes first: EPIPE also has the five-character shape of a SQLSTATE.
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  const state = sqlState(err);
  return state !== undefined && (state.startsWith('08') || UNAVAILABLE_STATES.has(state));
}

/** What a statement stopped by its time budget or by a cancel fails with. */
const QUERY_CANCELED = '57014';

/** The error of a statement stopped before its end, for stops decided outside the database. */
export function queryCancelledError(message = 'canceling statement due to user request'): Error {
  return Object.assign(new Error(message), { code: QUERY_CANCELED });
}

/** True for a statement stopped by statement_timeout or a cancel (SQLSTATE 57014). */
export function isQueryCancelled(err: unknown): boolean {
  return sqlState(err) === QUERY_CANCELED;
}

/** SQLSTATE of a database error, if any (pg and PGlite both expose `code`). */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
