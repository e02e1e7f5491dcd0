-- Stored events: raw and normalized documents as JSONB, the fields the API filters and
-- sorts on as indexed columns. `seq` gives a stable tiebreak for equal timestamps.
CREATE TABLE log_events (
  id               text PRIMARY KEY,
  seq              bigserial NOT NULL,
  ts               timestamptz NOT NULL,
  source_type      text NOT NULL,
  severity         text NOT NULL,
  event_type       text,
  source_ip        text,
  dest_ip          text,
  source_port      integer,
  dest_port        integer,
  hostname         text,
  username         text,
  mitre_tactic     text,
  mitre_technique  text,
  message          text,
  raw              jsonb NOT NULL,
  normalized       jsonb NOT NULL,
  metadata         jsonb NOT NULL DEFAULT '{}'::jsonb,
  scenario_run_id  text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX log_events_ts_idx ON log_events (ts DESC, seq DESC);
CREATE INDEX log_events_source_type_idx ON log_events (source_type, ts DESC);
CREATE INDEX log_events_severity_idx ON log_events (severity, ts DESC);
CREATE INDEX log_events_event_type_idx ON log_events (event_type, ts DESC) WHERE event_type IS NOT NULL;
CREATE INDEX log_events_source_ip_idx ON log_events (source_ip, ts DESC) WHERE source_ip IS NOT NULL;
CREATE INDEX log_events_dest_ip_idx ON log_events (dest_ip, ts DESC) WHERE dest_ip IS NOT NULL;
CREATE INDEX log_events_username_idx ON log_events (username, ts DESC) WHERE username IS NOT NULL;
CREATE INDEX log_events_hostname_idx ON log_events (hostname, ts DESC) WHERE hostname IS NOT NULL;
CREATE INDEX log_events_scenario_run_idx ON log_events (scenario_run_id, ts DESC) WHERE scenario_run_id IS NOT NULL;

-- Per-minute and per-hour counts by severity, and all-time counts by severity and by
-- source address: the dashboard reads these, never a scan of log_events.
CREATE TABLE event_counts_minute (
  minute   timestamptz NOT NULL,
  severity text NOT NULL,
  count    bigint NOT NULL,
  PRIMARY KEY (minute, severity)
);

CREATE TABLE event_counts_hour (
  hour     timestamptz NOT NULL,
  severity text NOT NULL,
  count    bigint NOT NULL,
  PRIMARY KEY (hour, severity)
);

CREATE TABLE event_counts_total (
  severity text PRIMARY KEY,
  count    bigint NOT NULL
);

CREATE TABLE event_counts_source_ip (
  source_ip text PRIMARY KEY,
  count     bigint NOT NULL
);
CREATE INDEX event_counts_source_ip_count_idx ON event_counts_source_ip (count DESC);
