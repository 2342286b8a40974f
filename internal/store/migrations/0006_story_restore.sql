-- A hidden story that is restored comes back to search with its title and
-- latest text, including revisions recorded while it was hidden.
CREATE TRIGGER stories_fts_restored AFTER UPDATE OF deleted ON stories
WHEN old.deleted <> 0 AND new.deleted = 0 BEGIN
    DELETE FROM stories_fts WHERE rowid = new.id;
    INSERT INTO stories_fts (rowid, title, text)
        SELECT new.id, new.title, COALESCE(r.text, '')
        FROM (SELECT 1) LEFT JOIN revisions r ON r.story_id = new.id AND r.number = new.revision;
END;
