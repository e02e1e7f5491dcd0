// What the notification formatters see of an alert, and what they produce: an HTTP
// request body, an e-mail or a syslog line. Senders (services/notify) carry them.
import type { Severity } from '@siem/contracts';

export interface NotifyAlert {
  id: string;
  title: string;
  severity: Severity;
  status: string;
  group_value: string | null;
  rule_id: string;
  rule_name: string;
  /** The rule's tags when the alert was queued (absent in deliveries queued before tags existed). */
  rule_tags?: string[];
  mitre_tactic: string | null;
  mitre_technique: string | null;
  matched_event_count: number;
  fired_at: string;
  /** Link to the alert in the web app. */
  url: string;
}

export type OutgoingMessage =
  | { transport: 'http'; body: string; contentType: string }
  | { transport: 'smtp'; subject: string; text: string }
  | { transport: 'syslog'; line: string };

/** What every formatter receives. `hostname` and `now` come from the caller (the engine reads no clock). */
export interface FormatInput {
  alert: NotifyAlert;
  /** The rendered template. */
  text: string;
  config: Record<string, unknown>;
  hostname: string;
  now: Date;
}

export type Formatter = (input: FormatInput) => OutgoingMessage;
