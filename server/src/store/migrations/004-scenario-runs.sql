-- Scenario runs. The owning process heartbeats its active runs; runs whose owner stopped
-- heartbeating are marked stopped by any process (orphans after a crash or restart).
CREATE TABLE scenario_runs (
  id               text PRIMARY KEY,
  scenario_name    text NOT NULL,
  filename         text NOT NULL,
  status           text NOT NULL,
  started_at       timestamptz NOT NULL,
  completed_at     timestamptz,
  events_generated integer NOT NULL DEFAULT 0,
  events_total     integer NOT NULL,
  speed            double precision NOT NULL DEFAULT 1.0,
  error_message    text,
  owner            text NOT NULL,
  heartbeat_at     timestamptz NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scenario_runs_active_idx ON scenario_runs (status, started_at DESC) WHERE status IN ('running', 'paused');
CREATE INDEX scenario_runs_started_idx ON scenario_runs (started_at DESC);
