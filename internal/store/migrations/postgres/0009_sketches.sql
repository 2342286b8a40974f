-- Nothing to do on PostgreSQL: 0001 creates the schema as it stood after
-- this step on SQLite (0009_sketches.sql).
SELECT 1;
