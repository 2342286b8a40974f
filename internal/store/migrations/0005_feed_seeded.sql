-- Whether a feed was ever polled is last_success != 0; backfill is decided
-- per channel (subscriptions.seeded), so the feed-level flag only drifted.
ALTER TABLE feeds DROP COLUMN seeded;
