-- Work shared between processes (claims.go); see the SQLite step.
CREATE TABLE poll_claims (
    feed_id     text PRIMARY KEY,
    tick        bigint NOT NULL,
    owner       text NOT NULL,
    lease_until bigint NOT NULL,
    done        integer NOT NULL DEFAULT 0
);

CREATE TABLE channel_claims (
    channel_id  text PRIMARY KEY,
    owner       text NOT NULL,
    lease_until bigint NOT NULL
);
CREATE INDEX channel_claims_owner ON channel_claims (owner);

CREATE TABLE shared_clocks (
    name  text PRIMARY KEY,
    value bigint NOT NULL
);
