-- Nothing to do on PostgreSQL: 0001 creates the schema as it stood after
-- this step on SQLite (0008_search_indexes.sql).
SELECT 1;
