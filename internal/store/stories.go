package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// storyColumns select a story with its latest text and comment count; the
// query using them aliases stories as s.
const storyColumns = `s.id, s.feed_id, s.guid, s.url, s.title, s.author, s.source, s.image_url,
	s.comments_url, s.external_id, s.published, s.updated, s.first_seen, s.revision, s.deleted,
	COALESCE((SELECT r.body FROM revisions r WHERE r.story_id = s.id AND r.number = s.revision), '[]'),
	(SELECT COUNT(*) FROM comments c WHERE c.story_id = s.id)`

type scanner interface{ Scan(dest ...any) error }

func scanStory(row scanner) (news.Story, error) {
	var s news.Story
	var published, updated, firstSeen int64
	var body string
	err := row.Scan(&s.ID, &s.FeedID, &s.GUID, &s.URL, &s.Title, &s.Author, &s.Source, &s.ImageURL,
		&s.CommentsURL, &s.ExternalID, &published, &updated, &firstSeen, &s.Revision, &s.Deleted,
		&body, &s.CommentCount)
	if err != nil {
		return s, err
	}
	s.Published, s.Updated, s.FirstSeen = fromMS(published), fromMS(updated), fromMS(firstSeen)
	if s.Paragraphs, err = parseList(body); err != nil {
		return s, fmt.Errorf("story %d: stored paragraphs: %w", s.ID, err)
	}
	return s, nil
}

func loadStory(ctx context.Context, q querier, id int64) (news.Story, error) {
	s, err := scanStory(q.QueryRowContext(ctx, "SELECT "+storyColumns+" FROM stories s WHERE s.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("story %d: %w", id, errNotFound)
	}
	return s, err
}

func queryStories(ctx context.Context, q querier, query string, args ...any) ([]news.Story, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.Story
	for rows.Next() {
		s, err := scanStory(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Story returns a story with the paragraphs of its latest revision and its
// comment count (deleted comments included). An unknown id is ErrNotFound.
func (db *DB) Story(ctx context.Context, id int64) (news.Story, error) {
	s, err := loadStory(ctx, db.r, id)
	if err != nil {
		return news.Story{}, fmt.Errorf("store: load story: %w", err)
	}
	return s, nil
}

// storyExists returns ErrNotFound for an unknown story id.
func storyExists(ctx context.Context, q querier, id int64) error {
	var one int
	err := q.QueryRowContext(ctx, "SELECT 1 FROM stories WHERE id = ?", id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("story %d: %w", id, errNotFound)
	}
	return err
}

// Revisions returns every revision of a story, oldest first.
func (db *DB) Revisions(ctx context.Context, storyID int64) ([]news.Revision, error) {
	revs, err := loadRevisions(ctx, db.r, storyID, "")
	if err == nil && len(revs) == 0 {
		err = storyExists(ctx, db.r, storyID)
	}
	if err != nil {
		return nil, fmt.Errorf("store: revisions of story %d: %w", storyID, err)
	}
	return revs, nil
}

// loadRevisions reads a story's revisions in order; where narrows them
// (e.g. to the latest).
func loadRevisions(ctx context.Context, q querier, storyID int64, where string, args ...any) ([]news.Revision, error) {
	rows, err := q.QueryContext(ctx, `SELECT number, title, body, hash, source_url, seen_at, added, removed, old_title
		FROM revisions WHERE story_id = ? `+where+` ORDER BY number`, append([]any{storyID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.Revision
	for rows.Next() {
		r := news.Revision{StoryID: storyID}
		var body, added, removed string
		var seen int64
		if err := rows.Scan(&r.Number, &r.Title, &body, &r.Hash, &r.SourceURL, &seen, &added, &removed, &r.OldTitle); err != nil {
			return nil, err
		}
		r.SeenAt = fromMS(seen)
		for _, f := range []struct {
			dst *[]string
			src string
		}{{&r.Paragraphs, body}, {&r.Added, added}, {&r.Removed, removed}} {
			if *f.dst, err = parseList(f.src); err != nil {
				return nil, fmt.Errorf("revision %d: %w", r.Number, err)
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// LatestStories returns the most recently stored live stories of a feed
// ("" for every feed), newest first.
func (db *DB) LatestStories(ctx context.Context, feedID string, limit int) ([]news.Story, error) {
	out, err := queryStories(ctx, db.r, "SELECT "+storyColumns+` FROM stories s
		WHERE s.deleted = 0 AND (? = '' OR s.feed_id = ?) ORDER BY s.id DESC LIMIT ?`,
		feedID, feedID, clampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: latest stories of feed %q: %w", feedID, err)
	}
	return out, nil
}

// SearchStories finds live stories whose title or latest text hold every
// word of query, best match first. The query is taken as plain words: FTS
// syntax in it (quotes, *, NEAR, -) is not interpreted.
func (db *DB) SearchStories(ctx context.Context, query string, limit int) ([]news.Story, error) {
	words := typedWords(query, maxTerms)
	if len(words) == 0 {
		return nil, nil
	}
	q, args := db.e.search().stories(words, clampLimit(limit))
	out, err := queryStories(ctx, db.r, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: search stories for %q: %w", short(query), err)
	}
	return out, nil
}

// SuggestStories completes a story from what a user typed: live stories
// whose title holds every word of text, most recently stored first. A word
// of three letters or more may sit inside a title word ("bridge" finds
// "Footbridge"); a shorter one must start one. Empty text gives the newest
// stories.
func (db *DB) SuggestStories(ctx context.Context, text string, limit int) ([]news.Story, error) {
	limit = clampLimit(limit)
	words := typedWords(text, maxTerms)
	var out []news.Story
	var err error
	if len(words) == 0 {
		out, err = queryStories(ctx, db.r, "SELECT "+storyColumns+" FROM stories s WHERE s.deleted = 0 ORDER BY s.id DESC LIMIT ?", limit)
	} else {
		q, args := db.e.search().suggest(words, limit)
		out, err = queryStories(ctx, db.r, q, args...)
	}
	if err != nil {
		return nil, fmt.Errorf("store: suggest stories for %q: %w", short(text), err)
	}
	return out, nil
}

// maxTerms bounds the words of a query, so a pasted paragraph cannot make
// a query of hundreds of terms.
const maxTerms = 16

// ftsTerms turns typed words into one FTS5 query of quoted strings, one
// per word, so no character of it can be read as query syntax.
func ftsTerms(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = `"` + w + `"`
	}
	return strings.Join(quoted, " ")
}

const maxLimit = 1000

func clampLimit(limit int) int {
	if limit <= 0 || limit > maxLimit {
		return maxLimit
	}
	return limit
}

// DeleteStory hides a story: it stays stored (so the feed cannot bring it
// back as new) but leaves listings, search and suggestions.
func (db *DB) DeleteStory(ctx context.Context, id int64) error {
	return db.setDeleted(ctx, id, true)
}

// RestoreStory undoes DeleteStory. What the feed changed meanwhile was
// still recorded; the deliveries skipped while it was hidden stay skipped.
func (db *DB) RestoreStory(ctx context.Context, id int64) error {
	return db.setDeleted(ctx, id, false)
}

func (db *DB) setDeleted(ctx context.Context, id int64, deleted bool) error {
	err := db.writeTxn(ctx, func(t *txn) error {
		var was bool
		var title, body string
		err := t.QueryRowContext(ctx, `SELECT s.deleted, s.title, COALESCE((SELECT r.body FROM revisions r
			WHERE r.story_id = s.id AND r.number = s.revision), '[]') FROM stories s WHERE s.id = ?`, id).Scan(&was, &title, &body)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("story %d: %w", id, errNotFound)
		}
		if err != nil || was == deleted {
			return err
		}
		if _, err := t.ExecContext(ctx, "UPDATE stories SET deleted = ? WHERE id = ?", boolInt(deleted), id); err != nil {
			return err
		}
		// Hidden stories leave the indexes, so searches need not filter
		// them; one restored comes back with its title and latest text,
		// including revisions recorded while it was hidden.
		if deleted {
			t.fts.removeStory(id)
		} else {
			paras, err := parseList(body)
			if err != nil {
				return fmt.Errorf("text of story %d: %w", id, err)
			}
			_, text := normText(paras)
			t.fts.story(id, false, title, text)
		}
		return nil
	})
	if err != nil {
		verb := "delete"
		if !deleted {
			verb = "restore"
		}
		return fmt.Errorf("store: %s story %d: %w", verb, id, err)
	}
	return nil
}
