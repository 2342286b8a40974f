-- Placeholder: migration 0008 belongs to another branch (b-store's search
-- indexes). It keeps this branch's versions gapless until both are
-- merged; delete this file when merging that branch's own 0008.
SELECT 1;
