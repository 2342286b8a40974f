-- Work shared between processes (claims.go). Used where several bot
-- processes share one database (PostgreSQL); created on SQLite too, so
-- the engines' schemas stay alike.

-- Who polls a feed at a schedule tick: one process per tick, for as long
-- as its lease lasts; another takes over an expired lease.
-- feed_id is a feed's id, or "comments:" and the id for its comments.
CREATE TABLE poll_claims (
    feed_id     TEXT PRIMARY KEY,
    tick        INTEGER NOT NULL,  -- the schedule time polled for (ms)
    owner       TEXT NOT NULL,
    lease_until INTEGER NOT NULL,
    done        INTEGER NOT NULL DEFAULT 0
);

-- Who sends a channel's deliveries: one process at a time, so the
-- channel's order holds and its rate limit has one user.
CREATE TABLE channel_claims (
    channel_id  TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    lease_until INTEGER NOT NULL
);
CREATE INDEX channel_claims_owner ON channel_claims (owner);

-- Shared counters: the theoretical arrival time of a rate limit's next
-- request (GCRA), the generation of the config.
CREATE TABLE shared_clocks (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
