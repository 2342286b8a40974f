-- A feed's comment source keeps its own health record beside the feed's;
-- see the SQLite step (0011_comment_health.sql).
CREATE TABLE comment_health (
    feed_id       text PRIMARY KEY,
    failures      integer NOT NULL DEFAULT 0,
    failing_since bigint NOT NULL DEFAULT 0,
    last_error    text NOT NULL DEFAULT '',
    last_attempt  bigint NOT NULL DEFAULT 0,
    last_success  bigint NOT NULL DEFAULT 0,
    notice_sent   integer NOT NULL DEFAULT 0
);

-- /healthz writes one row here to prove the store still takes writes.
CREATE TABLE liveness (
    id integer PRIMARY KEY CHECK (id = 1),
    at bigint NOT NULL
);
