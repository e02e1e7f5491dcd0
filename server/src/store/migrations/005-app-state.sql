-- One-time facts about this installation (e.g. the shipped rules were installed once, so
-- a rule an admin deleted does not come back at the next start).
CREATE TABLE app_state (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
