-- Threat-intel indicator lists and their indicators, sized for millions of rows: one row per
-- (list, type, canonical value), upserted by imports; (type, value) indexed for lookups.
-- intel_version is bumped on every change so each process knows when to rebuild its index.
CREATE TABLE indicator_lists (
  id                 text PRIMARY KEY,
  name               text NOT NULL UNIQUE,
  description        text NOT NULL DEFAULT '',
  source             text NOT NULL DEFAULT '',
  default_confidence smallint NOT NULL DEFAULT 50 CHECK (default_confidence BETWEEN 0 AND 100),
  feed_kind          text NOT NULL CHECK (feed_kind IN ('manual', 'watched')),
  path               text,
  format             text CHECK (format IN ('csv', 'stix', 'misp')),
  enabled            boolean NOT NULL DEFAULT true,
  indicator_count    integer NOT NULL DEFAULT 0,
  last_import        jsonb,
  created_by         text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE indicators (
  id          bigserial PRIMARY KEY,
  list_id     text NOT NULL REFERENCES indicator_lists (id) ON DELETE CASCADE,
  type        text NOT NULL CHECK (type IN ('ip', 'cidr', 'domain', 'url', 'md5', 'sha1', 'sha256')),
  value       text NOT NULL,
  source      text,
  confidence  smallint NOT NULL CHECK (confidence BETWEEN 0 AND 100),
  expires_at  timestamptz,
  first_seen  timestamptz NOT NULL DEFAULT now(),
  last_seen   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (list_id, type, value)
);
CREATE INDEX indicators_type_value ON indicators (type, value);
CREATE INDEX indicators_expires_at ON indicators (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE intel_version (
  id      smallint PRIMARY KEY CHECK (id = 1),
  version bigint NOT NULL
);
INSERT INTO intel_version (id, version) VALUES (1, 0);
