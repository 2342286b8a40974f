-- Frozen copy of the version-1 schema (migrations/0001_core.sql as first shipped)
-- with a little data, for TestMigrateFromVersion1. Do not edit to follow later migrations.
BEGIN;

CREATE TABLE feeds (
    feed_id       TEXT PRIMARY KEY,
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    last_poll     INTEGER NOT NULL DEFAULT 0,
    last_success  INTEGER NOT NULL DEFAULT 0,
    failures      INTEGER NOT NULL DEFAULT 0,
    failing_since INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    notice_sent   INTEGER NOT NULL DEFAULT 0,
    next_poll     INTEGER NOT NULL DEFAULT 0,
    seeded        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE subscriptions (
    feed_id    TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    created    INTEGER NOT NULL,
    seeded     INTEGER NOT NULL DEFAULT 0,
    broken     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (feed_id, channel_id)
);

CREATE TABLE stories (
    id           INTEGER PRIMARY KEY,
    feed_id      TEXT NOT NULL DEFAULT '',
    guid         TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL DEFAULT '',
    title_key    TEXT NOT NULL DEFAULT '',
    author       TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT '',
    image_url    TEXT NOT NULL DEFAULT '',
    comments_url TEXT NOT NULL DEFAULT '',
    external_id  TEXT NOT NULL DEFAULT '',
    published    INTEGER NOT NULL DEFAULT 0,
    updated      INTEGER NOT NULL DEFAULT 0,
    first_seen   INTEGER NOT NULL,
    revision     INTEGER NOT NULL DEFAULT 0,
    deleted      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX stories_guid ON stories (guid, feed_id);
CREATE INDEX stories_url ON stories (url);
CREATE INDEX stories_title_key ON stories (title_key);
CREATE INDEX stories_external_id ON stories (external_id);
CREATE INDEX stories_published ON stories (published);
CREATE INDEX stories_feed ON stories (feed_id, id);

CREATE TABLE revisions (
    story_id   INTEGER NOT NULL REFERENCES stories (id),
    number     INTEGER NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,  -- JSON array of paragraphs as the source gave them
    text       TEXT NOT NULL,  -- revision.Normalize()d paragraphs joined by blank lines
    hash       TEXT NOT NULL,
    source_url TEXT NOT NULL DEFAULT '',
    seen_at    INTEGER NOT NULL,
    added      TEXT NOT NULL DEFAULT '[]',
    removed    TEXT NOT NULL DEFAULT '[]',
    old_title  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (story_id, number)
);

CREATE TABLE comments (
    id                 INTEGER PRIMARY KEY,
    story_id           INTEGER NOT NULL REFERENCES stories (id),
    idx                INTEGER NOT NULL,
    external_id        TEXT NOT NULL DEFAULT '',
    parent_external_id TEXT NOT NULL DEFAULT '',
    reply_to           INTEGER NOT NULL DEFAULT 0,
    depth              INTEGER NOT NULL DEFAULT 0,
    author             TEXT NOT NULL DEFAULT '',
    author_key         TEXT NOT NULL DEFAULT '',  -- lower-cased author, for lookups
    body               TEXT NOT NULL DEFAULT '',
    posted_at          INTEGER NOT NULL DEFAULT 0,
    edited_at          INTEGER NOT NULL DEFAULT 0,
    score              INTEGER NOT NULL DEFAULT 0,
    has_score          INTEGER NOT NULL DEFAULT 0,
    deleted            INTEGER NOT NULL DEFAULT 0,
    UNIQUE (story_id, idx)
);
CREATE INDEX comments_external_id ON comments (story_id, external_id);
CREATE INDEX comments_author ON comments (story_id, author_key);

CREATE TABLE comment_edits (
    comment_id  INTEGER NOT NULL REFERENCES comments (id),
    body        TEXT NOT NULL,
    replaced_at INTEGER NOT NULL
);
CREATE INDEX comment_edits_comment ON comment_edits (comment_id);

CREATE TABLE deliveries (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    feed_id      TEXT NOT NULL DEFAULT '',
    channel_id   TEXT NOT NULL,
    story_id     INTEGER REFERENCES stories (id),  -- NULL for notices
    revision     INTEGER NOT NULL DEFAULT 0,
    text         TEXT NOT NULL DEFAULT '',
    nonce        TEXT NOT NULL UNIQUE,
    state        TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    last_attempt INTEGER NOT NULL DEFAULT 0,
    message_id   TEXT NOT NULL DEFAULT '',
    thread_id    TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    sent_at      INTEGER NOT NULL DEFAULT 0,
    not_before   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX deliveries_pending ON deliveries (state, not_before, id);
CREATE INDEX deliveries_story ON deliveries (story_id, channel_id, kind);
CREATE UNIQUE INDEX deliveries_one_new ON deliveries (story_id, channel_id) WHERE kind = 'new';
CREATE UNIQUE INDEX deliveries_one_update ON deliveries (story_id, channel_id, revision) WHERE kind = 'updated';

INSERT INTO stories (id, feed_id, guid, url, title, title_key, source, first_seen, revision)
VALUES (1, 'coast', 'coast-1', 'https://coast.example/keeper', 'Lighthouse keeper retires after 40 years',
        'lighthouse keeper retires after 40 years', 'coast.example', 1709294400000, 1);
INSERT INTO revisions (story_id, number, title, body, text, hash, seen_at)
VALUES (1, 1, 'Lighthouse keeper retires after 40 years',
        '["Ann Jones kept the light at Point Reyes for four decades.","She plans to write a book."]',
        'Ann Jones kept the light at Point Reyes for four decades.

She plans to write a book.', 'v1hash', 1709294400000);
INSERT INTO comments (story_id, idx, author, author_key, body, posted_at)
VALUES (1, 1, 'Marta', 'marta', 'I still miss the foghorn.', 1709290000000),
       (1, 2, 'Leo', 'leo', 'Congratulations, Ann!', 1709291000000);
PRAGMA user_version = 1;
COMMIT;
