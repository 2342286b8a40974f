-- Nothing to do on PostgreSQL: 0001 creates the schema as it stood after
-- this step on SQLite (0004_channel_order.sql).
SELECT 1;
