-- Shared lists that rules reference by name (in_list / not_in_list). Items are one JSON
-- array of strings, read and written whole: a list is always loaded entire into the engine.
CREATE TABLE lists (
  id          text PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  kind        text NOT NULL CHECK (kind IN ('ip', 'user', 'host', 'process', 'domain', 'text')),
  description text NOT NULL DEFAULT '',
  items       jsonb NOT NULL DEFAULT '[]',
  created_by  text,
  updated_by  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
