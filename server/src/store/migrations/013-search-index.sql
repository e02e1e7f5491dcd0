-- Text search (GET /v1/logs/search) is a case-insensitive substring match over six
-- columns. One trigram GIN index over their concatenation serves it: one index to keep
-- up on insert rather than six, smaller than the six together, and ANALYZE keeps
-- statistics on the expression, so the planner knows how common a term is. The columns
-- are joined with U+001F, which a search term containing it never uses the index for
-- (events-repo.ts): a match of any other term lies inside one column, as before.
--
-- pg_trgm ships with PostgreSQL (and PGlite) but creating it may need a privilege the
-- SIEM's database role lacks. Then the migration still succeeds, search runs unindexed,
-- and the server warns at start-up with the statements an operator runs to add it.
-- The extension goes to `public` when it can, so it is shared by every schema of the
-- database and not dropped with one of them.
DO $$
DECLARE
  trgm_schema text;
BEGIN
  SELECT n.nspname INTO trgm_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
  IF trgm_schema IS NULL THEN
    BEGIN
      CREATE EXTENSION pg_trgm WITH SCHEMA public;
    EXCEPTION WHEN OTHERS THEN
      BEGIN
        CREATE EXTENSION pg_trgm;
      EXCEPTION WHEN OTHERS THEN
        RAISE WARNING 'pg_trgm is not available (%): log search runs without an index', SQLERRM;
      END;
    END;
    SELECT n.nspname INTO trgm_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
  END IF;
  IF trgm_schema IS NOT NULL THEN
    EXECUTE format(
      'CREATE INDEX IF NOT EXISTS log_events_search_idx ON log_events USING gin (('
      || 'coalesce(event_type, '''') || E''\x1f'' || coalesce(source_ip, '''') || E''\x1f'' || coalesce(dest_ip, '''') || E''\x1f'' || '
      || 'coalesce(username, '''') || E''\x1f'' || coalesce(hostname, '''') || E''\x1f'' || coalesce(message, '''')'
      || ') %I.gin_trgm_ops)', trgm_schema);
  END IF;
END
$$;
