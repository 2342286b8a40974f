-- Full-text search over stories (title and latest text) and comments
-- (author and body), kept in sync by triggers, filled from existing rows.

CREATE VIRTUAL TABLE stories_fts USING fts5 (
    title, text,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

CREATE VIRTUAL TABLE comments_fts USING fts5 (
    author, body,
    content = 'comments', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- A story's searchable text is its latest revision; its title follows the
-- story row, which changes without a new revision for marker-only edits.
-- Deleted stories leave the index, so searches need not join to filter them.
CREATE TRIGGER revisions_fts_insert AFTER INSERT ON revisions
WHEN (SELECT deleted FROM stories WHERE id = new.story_id) = 0 BEGIN
    DELETE FROM stories_fts WHERE rowid = new.story_id;
    INSERT INTO stories_fts (rowid, title, text)
        VALUES (new.story_id, (SELECT title FROM stories WHERE id = new.story_id), new.text);
END;

-- The WHEN clauses keep a save that rewrites a row with the same values
-- from re-indexing it.
CREATE TRIGGER stories_fts_title AFTER UPDATE OF title ON stories
WHEN old.title IS NOT new.title BEGIN
    UPDATE stories_fts SET title = new.title WHERE rowid = new.id;
END;

CREATE TRIGGER stories_fts_deleted AFTER UPDATE OF deleted ON stories WHEN new.deleted <> 0 BEGIN
    DELETE FROM stories_fts WHERE rowid = new.id;
END;

CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments BEGIN
    INSERT INTO comments_fts (rowid, author, body) VALUES (new.id, new.author, new.body);
END;

CREATE TRIGGER comments_fts_delete AFTER DELETE ON comments BEGIN
    INSERT INTO comments_fts (comments_fts, rowid, author, body) VALUES ('delete', old.id, old.author, old.body);
END;

CREATE TRIGGER comments_fts_update AFTER UPDATE OF author, body ON comments
WHEN old.author IS NOT new.author OR old.body IS NOT new.body BEGIN
    INSERT INTO comments_fts (comments_fts, rowid, author, body) VALUES ('delete', old.id, old.author, old.body);
    INSERT INTO comments_fts (rowid, author, body) VALUES (new.id, new.author, new.body);
END;

INSERT INTO stories_fts (rowid, title, text)
    SELECT s.id, s.title, COALESCE(r.text, '')
    FROM stories s
    LEFT JOIN revisions r ON r.story_id = s.id AND r.number = s.revision
    WHERE s.deleted = 0;

INSERT INTO comments_fts (comments_fts) VALUES ('rebuild');
