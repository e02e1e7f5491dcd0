-- Accounts. Login matches the username exactly, but uniqueness is
-- case-insensitive so look-alikes such as `Admin` next to `admin` cannot coexist; the email
-- is stored normalized and unique regardless of case.
CREATE TABLE users (
  id             text PRIMARY KEY,
  username       text NOT NULL,
  email          text NOT NULL,
  password_hash  text NOT NULL,
  role           text NOT NULL DEFAULT 'analyst' CHECK (role IN ('analyst', 'admin')),
  is_active      boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
CREATE INDEX users_created_idx ON users (created_at DESC, id DESC);
-- The last-admin guard counts and locks these rows on every demotion or removal.
CREATE INDEX users_active_admins_idx ON users (id) WHERE role = 'admin' AND is_active;
