-- Saved searches: the parameters of a log search (query text, filters, time range) under a
-- name unique per owner. `shared` ones are listed to every user; only the owner or an
-- admin changes them. Deleting the account deletes its searches.
CREATE TABLE saved_searches (
  id          text PRIMARY KEY,
  owner_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name        text NOT NULL,
  description text NOT NULL DEFAULT '',
  params      jsonb NOT NULL,
  shared      boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT saved_searches_owner_name_key UNIQUE (owner_id, name)
);
CREATE INDEX saved_searches_shared_idx ON saved_searches (updated_at DESC) WHERE shared;
