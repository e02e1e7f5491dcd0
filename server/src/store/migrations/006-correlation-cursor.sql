-- Correlation reads the store, not the bus: every event carries the id of the transaction
-- that wrote it, and the correlating process walks events in (tx_id, seq) order, only up to
-- the oldest transaction still running, so a batch committed late by a concurrent writer
-- is never skipped. The checkpoint advances in the same transaction as the alerts it
-- produced; `epoch` fences a process that lost leadership without knowing it.
ALTER TABLE log_events ADD COLUMN tx_id xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX log_events_cursor_idx ON log_events (tx_id, seq);

CREATE TABLE correlation_checkpoints (
  name           text PRIMARY KEY,
  tx_id          xid8 NOT NULL DEFAULT '0',
  seq            bigint NOT NULL DEFAULT 0,
  -- newest event time the engine had seen at the checkpoint (its windows end there)
  high_water     timestamptz,
  last_event_id  text,
  last_event_ts  timestamptz,
  epoch          bigint NOT NULL DEFAULT 0,
  owner          text,
  heartbeat_at   timestamptz NOT NULL DEFAULT now(),
  advanced_at    timestamptz NOT NULL DEFAULT now()
);

-- An installation upgraded with history starts correlating after what it already holds,
-- as the bus consumer it replaces did.
INSERT INTO correlation_checkpoints (name, tx_id, seq)
SELECT 'correlation', tx_id, seq FROM log_events ORDER BY tx_id DESC, seq DESC LIMIT 1;

-- Stored records whose publication on the bus failed (bus down): published again, in
-- order, once the bus answers. The store stays the source of truth.
CREATE TABLE bus_outbox (
  id          bigserial PRIMARY KEY,
  stream      text NOT NULL,
  record_ids  text[] NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
