-- Correlation rules, the alerts they raise, and every status change of an alert.
CREATE TABLE correlation_rules (
  id               text PRIMARY KEY,
  name             text NOT NULL,
  description      text NOT NULL DEFAULT '',
  rule_type        text NOT NULL,
  conditions       jsonb NOT NULL,
  severity         text NOT NULL,
  enabled          boolean NOT NULL DEFAULT true,
  mitre_tactic     text,
  mitre_technique  text,
  cooldown_seconds integer,
  -- Set for the shipped detections, so an admin can restore them by key.
  builtin_key      text UNIQUE,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX correlation_rules_name_idx ON correlation_rules (name);

CREATE TABLE alerts (
  id                  text PRIMARY KEY,
  seq                 bigserial NOT NULL,
  -- rule + group + triggering event: a redelivered event cannot raise a second alert.
  firing_key          text NOT NULL UNIQUE,
  rule_id             text NOT NULL,
  rule_name           text NOT NULL,
  severity            text NOT NULL,
  title               text NOT NULL,
  matched_event_ids   text[] NOT NULL DEFAULT '{}',
  matched_event_count integer NOT NULL,
  group_value         text,
  status              text NOT NULL DEFAULT 'new',
  mitre_tactic        text,
  mitre_technique     text,
  acknowledged_by     text,
  acknowledged_at     timestamptz,
  resolved_at         timestamptz,
  notes               text,
  fired_at            timestamptz NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerts_created_idx ON alerts (created_at DESC, seq DESC);
CREATE INDEX alerts_status_idx ON alerts (status, created_at DESC);
CREATE INDEX alerts_severity_idx ON alerts (severity, created_at DESC);
CREATE INDEX alerts_rule_idx ON alerts (rule_id, created_at DESC);

CREATE TABLE alert_history (
  id           bigserial PRIMARY KEY,
  alert_id     text NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  from_status  text,
  to_status    text NOT NULL,
  by_username  text,
  at           timestamptz NOT NULL DEFAULT now(),
  notes        text
);
CREATE INDEX alert_history_alert_idx ON alert_history (alert_id, id);

-- Which alerts an event contributed to (LogEvent.matched_alert_ids). A narrow link table:
-- linking an alert to a thousand events must not rewrite a thousand wide event rows.
CREATE TABLE alert_events (
  event_id text NOT NULL,
  alert_id text NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  PRIMARY KEY (event_id, alert_id)
);
