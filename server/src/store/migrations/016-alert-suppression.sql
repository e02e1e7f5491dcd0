-- Alert suppression: a rule may name key fields and a duration; a repeat of an open alert's
-- key within the duration is counted on that alert (occurrences, last_seen_at) instead of
-- raising a new one. alert_repeats keeps the firing key of every counted repeat, so a
-- redelivered event is not counted twice (the alerts' own firing_key covers new alerts).
ALTER TABLE correlation_rules ADD COLUMN IF NOT EXISTS suppression jsonb;

ALTER TABLE alerts ADD COLUMN IF NOT EXISTS occurrences integer NOT NULL DEFAULT 1;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS last_seen_at timestamptz;
UPDATE alerts SET last_seen_at = fired_at WHERE last_seen_at IS NULL;
ALTER TABLE alerts ALTER COLUMN last_seen_at SET NOT NULL;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS suppression_key text;
-- The open alert of a (rule, key) is the one seen last.
CREATE INDEX IF NOT EXISTS alerts_suppression_idx ON alerts (rule_id, suppression_key, last_seen_at DESC)
  WHERE suppression_key IS NOT NULL;

CREATE TABLE IF NOT EXISTS alert_repeats (
  firing_key text PRIMARY KEY,
  alert_id   text NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  fired_at   timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_repeats_alert_idx ON alert_repeats (alert_id);
