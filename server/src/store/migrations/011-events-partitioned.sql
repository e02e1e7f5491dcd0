-- Events partitioned by day of event time (ts, UTC): retention drops a whole day with one
-- DROP TABLE instead of deleting rows, and queries with a time range read only the days
-- they cover. Daily partitions are created ahead by the server (partitions-repo.ts); the
-- DEFAULT partition takes any day that has none (history from before this migration,
-- events far in the past or future), so an insert never fails for lack of a partition.
--
-- The existing table is converted in place: every row keeps its id, seq and tx_id (the
-- correlation cursor walks (tx_id, seq)), and seq keeps drawing from the same sequence.
-- A primary key of a partitioned table must hold the partition key: (id, ts).
ALTER TABLE log_events RENAME TO log_events_unpartitioned;
ALTER TABLE log_events_unpartitioned DROP CONSTRAINT log_events_pkey;
-- The index names are taken again below; the copy needs none of them.
DROP INDEX log_events_ts_idx, log_events_source_type_idx, log_events_severity_idx, log_events_event_type_idx,
  log_events_source_ip_idx, log_events_dest_ip_idx, log_events_username_idx, log_events_hostname_idx,
  log_events_scenario_run_idx, log_events_cursor_idx;
-- Dropping the old table must not take the sequence with it.
ALTER SEQUENCE log_events_seq_seq OWNED BY NONE;

CREATE TABLE log_events (
  id               text NOT NULL,
  seq              bigint NOT NULL DEFAULT nextval('log_events_seq_seq'),
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
  updated_at       timestamptz NOT NULL DEFAULT now(),
  tx_id            xid8 NOT NULL DEFAULT pg_current_xact_id(),
  fields           jsonb
) PARTITION BY RANGE (ts);
CREATE TABLE log_events_default PARTITION OF log_events DEFAULT;

-- Rows first, indexes after: one index build over the copied rows instead of per row.
INSERT INTO log_events (id, seq, ts, source_type, severity, event_type, source_ip, dest_ip, source_port, dest_port,
  hostname, username, mitre_tactic, mitre_technique, message, raw, normalized, metadata, scenario_run_id,
  created_at, updated_at, tx_id, fields)
SELECT id, seq, ts, source_type, severity, event_type, source_ip, dest_ip, source_port, dest_port,
  hostname, username, mitre_tactic, mitre_technique, message, raw, normalized, metadata, scenario_run_id,
  created_at, updated_at, tx_id, fields
FROM log_events_unpartitioned;
DROP TABLE log_events_unpartitioned;
ALTER SEQUENCE log_events_seq_seq OWNED BY log_events.seq;

-- Indexes of the parent are created on every partition, present and future.
ALTER TABLE log_events ADD CONSTRAINT log_events_pkey PRIMARY KEY (id, ts);
CREATE INDEX log_events_ts_idx ON log_events (ts DESC, seq DESC);
CREATE INDEX log_events_source_type_idx ON log_events (source_type, ts DESC);
CREATE INDEX log_events_severity_idx ON log_events (severity, ts DESC);
CREATE INDEX log_events_event_type_idx ON log_events (event_type, ts DESC) WHERE event_type IS NOT NULL;
CREATE INDEX log_events_source_ip_idx ON log_events (source_ip, ts DESC) WHERE source_ip IS NOT NULL;
CREATE INDEX log_events_dest_ip_idx ON log_events (dest_ip, ts DESC) WHERE dest_ip IS NOT NULL;
CREATE INDEX log_events_username_idx ON log_events (username, ts DESC) WHERE username IS NOT NULL;
CREATE INDEX log_events_hostname_idx ON log_events (hostname, ts DESC) WHERE hostname IS NOT NULL;
CREATE INDEX log_events_scenario_run_idx ON log_events (scenario_run_id, ts DESC) WHERE scenario_run_id IS NOT NULL;
CREATE INDEX log_events_cursor_idx ON log_events (tx_id, seq);

-- What an alert keeps of each matched event once retention has removed the event: the
-- columns an analyst reads, each bounded, and `normalized` whole up to 4 KiB, past that
-- its first 32 keys (names cut to 128 characters, values to 256), marked truncated. One
-- definition for the link written with the alert and for the backfill below.
CREATE FUNCTION log_event_snapshot(e log_events) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT jsonb_build_object(
    'id', e.id,
    'timestamp', to_char(e.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'source_type', e.source_type,
    'severity', e.severity,
    'event_type', left(e.event_type, 256),
    'source_ip', left(e.source_ip, 256),
    'dest_ip', left(e.dest_ip, 256),
    'source_port', e.source_port,
    'dest_port', e.dest_port,
    'hostname', left(e.hostname, 256),
    'username', left(e.username, 256),
    'message', left(e.message, 2048),
    'mitre_tactic', left(e.mitre_tactic, 256),
    'mitre_technique', left(e.mitre_technique, 256),
    'scenario_run_id', left(e.scenario_run_id, 64),
    'created_at', to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'normalized_truncated', octet_length(e.normalized::text) > 4096,
    'normalized', CASE
      WHEN octet_length(e.normalized::text) <= 4096 THEN e.normalized
      WHEN jsonb_typeof(e.normalized) <> 'object' THEN '{}'::jsonb
      ELSE (
        SELECT coalesce(jsonb_object_agg(left(kv.key, 128), CASE
          WHEN jsonb_typeof(kv.value) = 'string' THEN to_jsonb(left(kv.value #>> '{}', 256))
          WHEN octet_length(kv.value::text) <= 256 THEN kv.value
          ELSE to_jsonb(left(kv.value::text, 256))
        END), '{}'::jsonb)
        FROM (SELECT key, value FROM jsonb_each(e.normalized) ORDER BY key LIMIT 32) kv
      )
    END
  )
$$;

-- The snapshot lives on the link, written in the same transaction as the alert.
ALTER TABLE alert_events ADD COLUMN IF NOT EXISTS snapshot jsonb;
-- An alert's links are read by alert (its detail) and removed with it (cascade).
CREATE INDEX IF NOT EXISTS alert_events_alert_idx ON alert_events (alert_id);
-- Alerts raised before this migration get the snapshots of the events still stored.
UPDATE alert_events ae SET snapshot = (SELECT log_event_snapshot(e) FROM log_events e WHERE e.id = ae.event_id LIMIT 1)
WHERE ae.snapshot IS NULL;
