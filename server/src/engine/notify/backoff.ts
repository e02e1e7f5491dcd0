// Retry policy of deliveries: exponential delays (base, 2x base, 4x base ...) capped at a
// maximum, a bounded number of attempts, and which outcomes are worth another attempt.

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Delay before attempt `attempt + 1`, after `attempt` failed ones (1-based). */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const exp = policy.baseDelayMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(policy.maxDelayMs, exp);
}

/**
 * Network errors, timeouts, 408, 429 and 5xx may pass later; any other HTTP status (a
 * wrong URL, a revoked token) will not, so the delivery fails at once.
 */
export function retryable(statusCode: number | null): boolean {
  if (statusCode === null) return true;
  return statusCode === 408 || statusCode === 429 || statusCode >= 500;
}
