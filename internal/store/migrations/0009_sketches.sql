-- Each revision's sketch: the smallest winnowed fingerprints of its text
-- (revision.Doc.Sketch), little-endian uint64s, by which the store finds
-- the stories an article may be a copy of (sketch.go). Filled for existing
-- revisions by this migration's Go step (migrate.go).
ALTER TABLE revisions ADD COLUMN sketch BLOB;

-- The digest of the last copy of a story that was written (articles.go,
-- copyDigest): a copy seen again exactly as it was is unchanged without
-- being normalised and compared.
ALTER TABLE stories ADD COLUMN copy_digest BLOB;

-- No query reads these; every new story paid an insert into each.
DROP INDEX stories_external_id;
DROP INDEX stories_published;
