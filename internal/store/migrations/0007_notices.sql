-- A feed health notice is stored as what happened, not as Discord
-- markdown, and rendered when it is sent, like a story. Notices queued
-- before this keep their text in deliveries.text.
CREATE TABLE notices (
    delivery_id INTEGER PRIMARY KEY REFERENCES deliveries (id),
    kind        TEXT NOT NULL,              -- failing | recovered
    failures    INTEGER NOT NULL DEFAULT 0, -- failed polls in a row
    since       INTEGER NOT NULL DEFAULT 0, -- first failure of the outage
    last_error  TEXT NOT NULL DEFAULT ''
);
