-- Nothing to do on PostgreSQL: 0001 creates the schema as it stood after
-- this step on SQLite (0006_story_restore.sql).
SELECT 1;
