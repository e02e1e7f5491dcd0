-- Correlation is split into a fixed number of partitions (16): a (rule, group) belongs to
-- one of them, and each partition has its own checkpoint row, 'correlation/0' ... 
-- 'correlation/15', owned by one process at a time (owner, fenced by epoch). The single
-- checkpoint of earlier versions seeds every partition, so an upgrade neither skips nor
-- repeats events.
INSERT INTO correlation_checkpoints (name, tx_id, seq, high_water, last_event_id, last_event_ts)
SELECT 'correlation/' || p, c.tx_id, c.seq, c.high_water, c.last_event_id, c.last_event_ts
FROM correlation_checkpoints c CROSS JOIN generate_series(0, 15) AS p
WHERE c.name = 'correlation'
ON CONFLICT (name) DO NOTHING;
DELETE FROM correlation_checkpoints WHERE name = 'correlation';

-- The processes that take part in correlation. Each says it is alive about every second;
-- one whose heartbeat is older than a few seconds is gone, and the live ones take its
-- partitions over. `partitions` lists what it owns, `state` what it is doing.
CREATE TABLE correlation_members (
  consumer      text PRIMARY KEY,
  host          text NOT NULL,
  pid           integer NOT NULL,
  started_at    timestamptz NOT NULL DEFAULT now(),
  heartbeat_at  timestamptz NOT NULL DEFAULT now(),
  partitions    integer[] NOT NULL DEFAULT '{}',
  state         text NOT NULL DEFAULT 'starting'
);
