// The alert summary the "alerts" stream and the SSE alert feed carry.
import type { AlertFeedItem } from '@siem/contracts';
import type { AlertRecord } from '../store/alerts-repo.ts';

export function toAlertFeedItem(a: AlertRecord): AlertFeedItem {
  return { id: a.id, rule_name: a.rule_name, severity: a.severity, title: a.title, group_value: a.group_value, matched_event_count: a.matched_event_count, status: a.status };
}
