-- Every field a parser extracted (ECS-style dotted names), kept whole so rules and searches
-- can reach any of them, not only the indexed columns. NULL for events that have none.
ALTER TABLE log_events ADD COLUMN IF NOT EXISTS fields jsonb;
