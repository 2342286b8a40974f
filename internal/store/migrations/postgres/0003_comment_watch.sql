-- Nothing to do on PostgreSQL: 0001 creates the schema as it stood after
-- this step on SQLite (0003_comment_watch.sql).
SELECT 1;
