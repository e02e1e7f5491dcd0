-- Case management: alerts get an assignee (an account, by id, so a renamed user keeps
-- their alerts), alert_history records what changed (status as before, or the assignee),
-- and cases group alerts, log events, observables and comments with a timeline of every
-- change. Who did something is kept by username (as alert_history does), so the trail
-- stays readable after an account is renamed or removed.
ALTER TABLE alerts ADD COLUMN assignee_id text REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX alerts_assignee_idx ON alerts (assignee_id, created_at DESC) WHERE assignee_id IS NOT NULL;

-- Older rows are status changes; an assignment keeps the status in from/to_status and
-- puts the usernames in from_value / to_value.
ALTER TABLE alert_history ADD COLUMN kind text NOT NULL DEFAULT 'status' CHECK (kind IN ('status', 'assignee'));
ALTER TABLE alert_history ADD COLUMN from_value text;
ALTER TABLE alert_history ADD COLUMN to_value text;

CREATE TABLE cases (
  id               text PRIMARY KEY,
  seq              bigserial NOT NULL,
  title            text NOT NULL,
  description      text NOT NULL DEFAULT '',
  severity         text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'info')),
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'closed')),
  resolution       text CHECK (resolution IN ('true_positive', 'false_positive', 'benign', 'duplicate', 'other')),
  resolution_note  text,
  assignee_id      text REFERENCES users (id) ON DELETE SET NULL,
  created_by       text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  closed_at        timestamptz,
  CHECK ((status = 'closed') = (resolution IS NOT NULL))
);
CREATE INDEX cases_created_idx ON cases (created_at DESC, seq DESC);
CREATE INDEX cases_status_idx ON cases (status, created_at DESC);
CREATE INDEX cases_assignee_idx ON cases (assignee_id, created_at DESC) WHERE assignee_id IS NOT NULL;

CREATE TABLE case_alerts (
  case_id   text NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  alert_id  text NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  added_by  text NOT NULL,
  added_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, alert_id)
);
CREATE INDEX case_alerts_alert_idx ON case_alerts (alert_id);

-- Log events live in partitions retention drops: no foreign key, the link outlives the event.
CREATE TABLE case_events (
  case_id   text NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  event_id  text NOT NULL,
  added_by  text NOT NULL,
  added_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, event_id)
);

CREATE TABLE case_comments (
  id          text PRIMARY KEY,
  case_id     text NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  author      text NOT NULL,
  body        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_comments_case_idx ON case_comments (case_id, created_at, id);

-- Accounts a comment mentions (@username), resolved when the comment is written.
CREATE TABLE case_mentions (
  comment_id  text NOT NULL REFERENCES case_comments (id) ON DELETE CASCADE,
  case_id     text NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  user_id     text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (comment_id, user_id)
);
CREATE INDEX case_mentions_user_idx ON case_mentions (user_id, case_id);

CREATE TABLE case_observables (
  id               text PRIMARY KEY,
  case_id          text NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  type             text NOT NULL CHECK (type IN ('ip', 'domain', 'url', 'hash', 'user', 'host', 'other')),
  value            text NOT NULL,
  note             text,
  source_alert_id  text,
  added_by         text NOT NULL,
  added_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, type, value)
);

-- Every change of a case, in order: what (kind, field, from -> to, the record it names), who, when.
CREATE TABLE case_timeline (
  id          bigserial PRIMARY KEY,
  case_id     text NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  kind        text NOT NULL,
  field       text,
  from_value  text,
  to_value    text,
  ref_id      text,
  by_username text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_timeline_case_idx ON case_timeline (case_id, id);
