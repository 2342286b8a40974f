-- Placeholder: migration 0009 belongs to another branch (b-store's
-- sketches). It keeps this branch's versions gapless until both are
-- merged; delete this file when merging that branch's own 0009.
SELECT 1;
