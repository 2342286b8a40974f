-- Comment refresh: when a story's comments were last fetched from their
-- source, and the comment count its posts last showed, so a post is edited
-- when the count changes meaningfully rather than on every new comment.
ALTER TABLE stories ADD COLUMN comments_checked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN comments_shown INTEGER NOT NULL DEFAULT 0;

-- At most one pending comment-count edit per post.
CREATE UNIQUE INDEX deliveries_one_count ON deliveries (story_id, channel_id) WHERE kind = 'comments' AND state = 'pending';
