-- A poll stores at most a feed's max_new_per_poll new stories. capped_since
-- is the poll that first cut a document short in the current episode (0:
-- none): while it lasts, the older items the cap left out stay left out,
-- and the channels were told once.
ALTER TABLE feeds ADD COLUMN capped_since INTEGER NOT NULL DEFAULT 0;
-- What a "capped" notice says: how many new items the poll found, and how
-- many of them it took.
ALTER TABLE notices ADD COLUMN new_items INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notices ADD COLUMN kept INTEGER NOT NULL DEFAULT 0;
