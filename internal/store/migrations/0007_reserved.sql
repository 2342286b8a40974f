-- Placeholder: migration 0007 belongs to the branch that splits the
-- scheduler into ingest and outbox (a-stages). It keeps this branch's
-- versions gapless until both are merged; delete this file when merging
-- that branch's own 0007.
SELECT 1;
