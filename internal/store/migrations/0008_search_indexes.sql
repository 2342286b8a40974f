-- The search indexes are kept by the store at the end of each write
-- transaction, in rowid order (fts.go says why), not by triggers. They hold
-- no copy of the text (contentless, deletable by rowid): the rows they
-- index are in stories, revisions and comments already.
-- stories_fts drops its prefix indexes, which only autocomplete used and
-- which quadrupled the terms written for every story's text; autocomplete
-- now reads titles_fts, whose trigrams let what is typed match inside
-- words ("bridge" finds "footbridge").

DROP TRIGGER revisions_fts_insert;
DROP TRIGGER stories_fts_title;
DROP TRIGGER stories_fts_deleted;
DROP TRIGGER stories_fts_restored;
DROP TRIGGER comments_fts_insert;
DROP TRIGGER comments_fts_delete;
DROP TRIGGER comments_fts_update;
DROP TABLE stories_fts;
DROP TABLE comments_fts;

CREATE VIRTUAL TABLE stories_fts USING fts5 (
    title, text,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Titles as fts.go's titleText writes them, filled by the Go step of
-- this migration (migrate.go).
CREATE VIRTUAL TABLE titles_fts USING fts5 (
    title,
    content = '', contentless_delete = 1,
    tokenize = 'trigram remove_diacritics 1'
);

CREATE VIRTUAL TABLE comments_fts USING fts5 (
    author, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO stories_fts (rowid, title, text)
    SELECT s.id, s.title, COALESCE(r.text, '')
    FROM stories s
    LEFT JOIN revisions r ON r.story_id = s.id AND r.number = s.revision
    WHERE s.deleted = 0
    ORDER BY s.id;

INSERT INTO comments_fts (rowid, author, body)
    SELECT id, author, body FROM comments ORDER BY id;
