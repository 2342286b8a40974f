-- Each revision's sketch: the smallest winnowed fingerprints of its text
-- (revision.Doc.Sketch), little-endian uint64s, by which the store finds
-- the stories an article may be a copy of (sketch.go). Filled for existing
-- revisions by this migration's Go step (migrate.go).
ALTER TABLE revisions ADD COLUMN sketch BLOB;
