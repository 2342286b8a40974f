-- A poll stores at most a feed's max_new_per_poll new stories; see the
-- SQLite step (0012_new_item_cap.sql). capped_since is the poll (ms) that
-- first cut a document short in the current episode, 0 for none.
ALTER TABLE feeds ADD COLUMN capped_since bigint NOT NULL DEFAULT 0;
-- What a "capped" notice says: how many new items the poll found, and how
-- many of them it took.
ALTER TABLE notices ADD COLUMN new_items integer NOT NULL DEFAULT 0;
ALTER TABLE notices ADD COLUMN kept integer NOT NULL DEFAULT 0;
