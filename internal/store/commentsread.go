package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/revision"
)

const commentColumns = `id, story_id, idx, external_id, parent_external_id, reply_to, depth, author, body,
	posted_at, edited_at, score, has_score, deleted`

func queryComments(ctx context.Context, q querier, where string, args ...any) ([]news.Comment, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+commentColumns+" FROM comments WHERE "+where+" ORDER BY idx", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.Comment
	for rows.Next() {
		var c news.Comment
		var posted, edited int64
		if err := rows.Scan(&c.ID, &c.StoryID, &c.Index, &c.ExternalID, &c.ParentID, &c.ReplyTo, &c.Depth,
			&c.Author, &c.Body, &posted, &edited, &c.Score, &c.HasScore, &c.Deleted); err != nil {
			return nil, err
		}
		c.PostedAt, c.EditedAt = fromMS(posted), fromMS(edited)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Comments returns a story's comments in page order, deleted ones included
// (marked), with Index and ReplyTo as stored indexes.
func (db *DB) Comments(ctx context.Context, storyID int64) ([]news.Comment, error) {
	out, err := queryComments(ctx, db.r, "story_id = ?", storyID)
	if err == nil && len(out) == 0 {
		err = storyExists(ctx, db.r, storyID)
	}
	if err != nil {
		return nil, fmt.Errorf("store: comments of story %d: %w", storyID, err)
	}
	return out, nil
}

// CommentEdits returns the earlier texts of a comment, oldest first.
func (db *DB) CommentEdits(ctx context.Context, commentID int64) ([]CommentEdit, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT body, replaced_at FROM comment_edits WHERE comment_id = ? ORDER BY "+db.e.rowid(), commentID)
	if err != nil {
		return nil, fmt.Errorf("store: edits of comment %d: %w", commentID, err)
	}
	defer rows.Close()
	var out []CommentEdit
	for rows.Next() {
		var e CommentEdit
		var at int64
		if err := rows.Scan(&e.Body, &at); err != nil {
			return nil, fmt.Errorf("store: edits of comment %d: %w", commentID, err)
		}
		e.ReplacedAt = fromMS(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: edits of comment %d: %w", commentID, err)
	}
	return out, nil
}

// likePrefix makes a LIKE pattern matching strings that start with s.
func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s) + "%"
}

// Commenters returns the authors of a story's live comments whose names
// start with prefix (case-insensitively), most prolific first.
func (db *DB) Commenters(ctx context.Context, storyID int64, prefix string, limit int) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT MIN(author) FROM comments
		WHERE story_id = ? AND deleted = 0 AND author_key <> '' AND author_key LIKE ? ESCAPE '\'
		GROUP BY author_key ORDER BY COUNT(*) DESC, MIN(idx) LIMIT ?`,
		storyID, likePrefix(authorKey(prefix)), clampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: commenters of story %d matching %q: %w", storyID, prefix, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, fmt.Errorf("store: commenters of story %d: %w", storyID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// FindComments returns a story's live comments, in page order, by an
// author (case-insensitive; an exact name wins over names it begins) and
// containing a text (case-insensitive, with white space and typographic
// quotes folded, so text copied from Discord finds its comment). Empty
// arguments match everything.
func (db *DB) FindComments(ctx context.Context, storyID int64, author, contains string) ([]news.Comment, error) {
	key := authorKey(author)
	out, err := queryComments(ctx, db.r, `story_id = ? AND deleted = 0 AND author_key LIKE ? ESCAPE '\'`,
		storyID, likePrefix(key))
	if err == nil && len(out) == 0 {
		err = storyExists(ctx, db.r, storyID)
	}
	if err != nil {
		return nil, fmt.Errorf("store: find comments of story %d by %q containing %q: %w", storyID, author, short(contains), err)
	}
	if needle := strings.ToLower(revision.NormalizeTitle(contains)); needle != "" {
		var found []news.Comment
		for _, c := range out {
			if strings.Contains(strings.ToLower(revision.NormalizeTitle(c.Body)), needle) {
				found = append(found, c)
			}
		}
		out = found
	}
	var exact []news.Comment
	for _, c := range out {
		if key != "" && authorKey(c.Author) == key {
			exact = append(exact, c)
		}
	}
	if len(exact) > 0 {
		return exact, nil
	}
	return out, nil
}

// SearchComments finds live comments, across all stories, whose author or
// text hold every word of query: the limit best matches, in page order. Like SearchStories, the
// query is plain words, never FTS syntax.
func (db *DB) SearchComments(ctx context.Context, query string, limit int) ([]news.Comment, error) {
	words := typedWords(query, maxTerms)
	if len(words) == 0 {
		return nil, nil
	}
	where, args := db.e.search().comments(words, clampLimit(limit))
	out, err := queryComments(ctx, db.r, where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: search comments for %q: %w", short(query), err)
	}
	return out, nil
}
