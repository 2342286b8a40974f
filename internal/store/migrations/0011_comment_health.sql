-- A feed's comment source keeps its own health record beside the feed's
-- (failures in a row, since when, the last error, whether the channels were
-- told), so an outage of Hacker News or Reddit is visible and notified like
-- a feed that fails, without resetting the feed's own record.
CREATE TABLE comment_health (
    feed_id       TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL DEFAULT 0,
    failing_since INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    last_attempt  INTEGER NOT NULL DEFAULT 0,
    last_success  INTEGER NOT NULL DEFAULT 0,
    notice_sent   INTEGER NOT NULL DEFAULT 0
);

-- /healthz writes one row here to prove the store still takes writes.
CREATE TABLE liveness (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at INTEGER NOT NULL
);
