-- The normalised text is derived from the body when read; see the SQLite
-- step (0014_revision_text.sql).
ALTER TABLE revisions DROP COLUMN text;
