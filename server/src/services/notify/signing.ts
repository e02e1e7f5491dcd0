// Webhook signatures: HMAC-SHA256 over "<timestamp>.<body>" with the channel's secret, sent
// as `X-SIEM-Signature: sha256=<hex>` beside `X-SIEM-Timestamp` (Unix seconds). Receivers
// recompute it, compare in constant time and refuse old timestamps (replay).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-SIEM-Signature';
export const TIMESTAMP_HEADER = 'X-SIEM-Timestamp';

export function signBody(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The check a receiver makes (used by the tests; docs/notifications.md shows it). */
export function verifySignature(secret: string, timestamp: number, body: string, signature: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  if (!Number.isFinite(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signBody(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
