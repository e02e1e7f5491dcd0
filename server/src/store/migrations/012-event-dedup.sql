-- Keys of events already stored, so a retried delivery is acknowledged without being
-- stored (and correlated) twice. A key is scoped by its kind ('id:' a client-given event
-- id, 'hash:' a digest of the raw event), so the two never collide. A key counts until
-- expires_at; expired rows are pruned in bounded batches. Its own table, not a unique
-- index on log_events: that table's key may come to include the event time.
CREATE TABLE event_dedup (
  key         text PRIMARY KEY,
  event_id    text NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX event_dedup_expires_idx ON event_dedup (expires_at);
