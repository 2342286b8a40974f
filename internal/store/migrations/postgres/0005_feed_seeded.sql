-- Nothing to do on PostgreSQL: 0001 creates the schema as it stood after
-- this step on SQLite (0005_feed_seeded.sql).
SELECT 1;
