// Retry policy of deliveries: exponential delays (base, 2x base, 4x base ...) capped at a
// maximum, a bounded number of attempts, and which outcomes are worth another attempt.

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Up to this share is added to a delay, so deliveries that failed together do not all retry together. */
export const BACKOFF_JITTER = 0.25;

/**
 * Delay before attempt `attempt + 1`, after `attempt` failed ones (1-based). `spread` in
 * [0, 1) (a random draw, given by the caller: the engine reads no randomness) lengthens it
 * by up to BACKOFF_JITTER; a delay is never shorter than the schedule's.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, spread = 0): number {
  const exp = policy.baseDelayMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30);
  const jitter = Math.min(Math.max(spread, 0), 1) * BACKOFF_JITTER;
  return Math.min(policy.maxDelayMs, Math.round(exp * (1 + jitter)));
}

/**
 * Network errors, timeouts, 408, 429 and 5xx may pass later; any other HTTP status (a
 * wrong URL, a revoked token) will not, so the delivery fails at once.
 */
export function retryable(statusCode: number | null): boolean {
  if (statusCode === null) return true;
  return statusCode === 408 || statusCode === 429 || statusCode >= 500;
}
