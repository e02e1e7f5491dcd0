-- Least privilege: the `engineer` role (rule changes), a token version per account (a
-- password change revokes older tokens), a confusable skeleton per username (look-alikes
-- cannot coexist), and the audit trail of rule changes.
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('analyst', 'engineer', 'admin'));

-- Tokens carry the version they were issued under; a password change increments it.
ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0;

-- Filled by the server at start for accounts created before this migration (the skeleton
-- is computed in the application, one definition for inserts and backfill); NULL only for
-- an older account whose skeleton collides with another's (logged for the operator).
ALTER TABLE users ADD COLUMN username_skeleton text;
CREATE UNIQUE INDEX users_username_skeleton_key ON users (username_skeleton);

-- No foreign key to correlation_rules: the history of a deleted rule stays readable.
CREATE TABLE rule_audit (
  id         bigserial PRIMARY KEY,
  rule_id    text NOT NULL,
  rule_name  text NOT NULL,
  action     text NOT NULL CHECK (action IN ('created', 'updated', 'enabled', 'disabled', 'deleted', 'restored')),
  user_id    text,
  username   text,
  changes    jsonb NOT NULL DEFAULT '{}',
  at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rule_audit_rule_idx ON rule_audit (rule_id, id);
