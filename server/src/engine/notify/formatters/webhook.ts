// Generic webhook: a JSON document with the rendered text and the alert's fields; the
// sender signs the exact bytes (HMAC-SHA256) when the channel has a secret.
import type { Formatter } from '../types.ts';

export const formatWebhook: Formatter = ({ alert, text, now }) => ({
  transport: 'http',
  contentType: 'application/json',
  body: JSON.stringify({
    type: 'alert',
    sent_at: now.toISOString(),
    text,
    alert: {
      id: alert.id,
      title: alert.title,
      severity: alert.severity,
      status: alert.status,
      group_value: alert.group_value,
      rule_id: alert.rule_id,
      rule_name: alert.rule_name,
      rule_tags: alert.rule_tags ?? [],
      mitre_tactic: alert.mitre_tactic,
      mitre_technique: alert.mitre_technique,
      matched_event_count: alert.matched_event_count,
      fired_at: alert.fired_at,
      url: alert.url,
    },
  }),
});
