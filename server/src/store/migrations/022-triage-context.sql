-- Alert triage context (GET /v1/alerts/{id}/context): the alerts around one alert, by event
-- time, that share its group value or a host of its matched events. Hosts are read from the
-- snapshots the links keep, so the relation holds after retention removed the events.
-- A group value has no length bound (a rule may group by a long field), so the index holds its
-- digest: a btree entry must fit in a page.
CREATE INDEX IF NOT EXISTS alerts_group_fired_idx ON alerts (md5(group_value), fired_at DESC) WHERE group_value IS NOT NULL;
CREATE INDEX IF NOT EXISTS alerts_fired_idx ON alerts (fired_at DESC);
-- By host then alert: finds a host's alerts, and tests one alert for a host in one probe.
CREATE INDEX IF NOT EXISTS alert_events_hostname_idx ON alert_events ((snapshot ->> 'hostname'), alert_id) WHERE snapshot IS NOT NULL;
