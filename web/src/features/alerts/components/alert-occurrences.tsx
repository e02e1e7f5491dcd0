// "×N, last seen <time>" for an alert its rule's suppression counted repeats on (occurrences
// > 1); nothing for an alert seen once. Last seen is the event time of the newest repeat.
import type { Alert } from '@siem/contracts';
import { formatDateTime, formatRelative } from '../../../lib/format.ts';

interface Props {
  alert: Pick<Alert, 'occurrences' | 'last_seen_at'> & Partial<Pick<Alert, 'suppression_key'>>;
  /** Relative time (lists); the detail page shows the full date. */
  compact?: boolean;
}

/** `hostname=ws-042, user=root` from the stored key (JSON text; a digest of a long one is shown as is). */
function keyLabel(key: string | null | undefined): string {
  if (!key) return '';
  try {
    const values = JSON.parse(key) as Record<string, string | null>;
    return Object.entries(values).map(([field, value]) => `${field}=${value ?? '(missing)'}`).join(', ');
  } catch {
    return key;
  }
}

export function AlertOccurrences({ alert, compact = false }: Props) {
  if (alert.occurrences <= 1) return null;
  const when = compact ? formatRelative(alert.last_seen_at) : formatDateTime(alert.last_seen_at);
  const key = keyLabel(alert.suppression_key);
  return (
    <span className="tag occurrences" data-testid="alert-occurrences"
      title={`Fired ${alert.occurrences} times; repeats${key ? ` of ${key}` : ''} were counted here instead of raising new alerts (rule suppression). Last seen ${alert.last_seen_at}`}>
      ×{alert.occurrences}, last seen <time dateTime={alert.last_seen_at}>{when}</time>
    </span>
  );
}
