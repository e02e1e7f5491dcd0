-- Alert notifications: channels (kind, config with secrets, routing, template), the
-- deliveries queued for them (one per alert and channel) and every attempt made.
CREATE TABLE notification_channels (
  id          text PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  kind        text NOT NULL CHECK (kind IN ('webhook', 'slack', 'teams', 'mattermost', 'email', 'syslog')),
  enabled     boolean NOT NULL DEFAULT true,
  config      jsonb NOT NULL DEFAULT '{}',
  routing     jsonb NOT NULL DEFAULT '{}',
  template    text NOT NULL DEFAULT '',
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The alert is kept as sent (snapshot): a delivery does not depend on the alert row later.
CREATE TABLE notification_deliveries (
  id              text PRIMARY KEY,
  channel_id      text NOT NULL REFERENCES notification_channels (id) ON DELETE CASCADE,
  alert_id        text NOT NULL,
  alert           jsonb NOT NULL,
  status          text NOT NULL CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
  attempt_count   integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  lease_until     timestamptz,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel_id, alert_id)
);
CREATE INDEX notification_deliveries_due ON notification_deliveries (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX notification_deliveries_recent ON notification_deliveries (created_at DESC);

CREATE TABLE notification_attempts (
  id           bigserial PRIMARY KEY,
  delivery_id  text NOT NULL REFERENCES notification_deliveries (id) ON DELETE CASCADE,
  at           timestamptz NOT NULL DEFAULT now(),
  ok           boolean NOT NULL,
  status_code  integer,
  error        text,
  latency_ms   integer NOT NULL
);
CREATE INDEX notification_attempts_delivery ON notification_attempts (delivery_id, id DESC);
