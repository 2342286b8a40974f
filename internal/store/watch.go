package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/revision"
)

// Watched is a story whose comments are refreshed from their source.
type Watched struct {
	Story   news.Story
	Checked time.Time // last fetch of its comments; zero when never
	Shown   int       // comment count its posts last showed
}

// WatchedStories lists a feed's stories first seen at or after since (the
// refresh policy's horizon), oldest check first, so the most overdue are
// refreshed first.
func (db *DB) WatchedStories(ctx context.Context, feedID string, since time.Time, limit int) ([]Watched, error) {
	out, err := db.watched(ctx, feedID, since, limit)
	if err != nil {
		return nil, fmt.Errorf("store: stories of feed %q to refresh comments: %w", feedID, err)
	}
	return out, nil
}

func (db *DB) watched(ctx context.Context, feedID string, since time.Time, limit int) ([]Watched, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, comments_checked, comments_shown FROM stories
		WHERE feed_id = ? AND first_seen >= ? AND deleted = 0
		ORDER BY comments_checked, id LIMIT ?`, feedID, ms(since), clampLimit(limit))
	if err != nil {
		return nil, err
	}
	var out []Watched
	for rows.Next() {
		var w Watched
		var checked int64
		if err := rows.Scan(&w.Story.ID, &checked, &w.Shown); err != nil {
			rows.Close()
			return nil, err
		}
		w.Checked = fromMS(checked)
		out = append(out, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Story, err = loadStory(ctx, db.r, out[i].Story.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MarkCommentsChecked records that a story's comments were fetched at t.
func (db *DB) MarkCommentsChecked(ctx context.Context, storyID int64, t time.Time) error {
	return db.write(ctx, func(tx boundTx) error {
		res, err := tx.ExecContext(ctx, "UPDATE stories SET comments_checked = ? WHERE id = ?", ms(t), storyID)
		if err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				err = fmt.Errorf("story %d: %w", storyID, errNotFound)
			}
		}
		if err != nil {
			return fmt.Errorf("store: mark comments of story %d checked: %w", storyID, err)
		}
		return nil
	})
}

// EnqueueCommentCount queues an edit of every post of the story so it
// shows count comments, and remembers count as shown. A post with an edit
// already pending keeps that one: it renders the count current when sent.
// So does a post not yet attempted. A post being sent may have been drawn
// before the comments arrived, so it gets an edit queued behind it too.
// It returns how many edits were queued.
func (db *DB) EnqueueCommentCount(ctx context.Context, storyID int64, count int, now time.Time) (int, error) {
	queued := 0
	err := db.write(ctx, func(tx boundTx) error {
		posts, err := queryDeliveries(ctx, tx,
			"story_id = ? AND kind = 'new' AND (state = 'sent' OR (state = 'pending' AND attempts > 0))", storyID)
		if err != nil {
			return err
		}
		for _, p := range posts {
			id, err := insertDelivery(ctx, tx, news.Delivery{
				Kind: news.DeliveryComments, FeedID: p.FeedID, ChannelID: p.ChannelID, StoryID: storyID,
				Revision: p.Revision, State: news.DeliveryPending, CreatedAt: now, NotBefore: now,
			})
			if err != nil {
				return err
			}
			if id != 0 {
				queued++
			}
		}
		_, err = tx.ExecContext(ctx, "UPDATE stories SET comments_shown = ? WHERE id = ?", count, storyID)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: queue comment count %d for story %d: %w", count, storyID, err)
	}
	return queued, nil
}

// StoryByURL finds the newest live story whose canonical URL is raw's.
func (db *DB) StoryByURL(ctx context.Context, raw string) (news.Story, error) {
	u := revision.CanonicalURL(raw)
	if u == "" {
		return news.Story{}, fmt.Errorf("store: story by URL %q: not an absolute URL: %w", raw, errInvalid)
	}
	s, err := scanStory(db.r.QueryRowContext(ctx, "SELECT "+storyColumns+
		" FROM stories s WHERE s.url = ? AND s.deleted = 0 ORDER BY s.id DESC LIMIT 1", u))
	if errors.Is(err, sql.ErrNoRows) {
		err = errNotFound
	}
	if err != nil {
		return news.Story{}, fmt.Errorf("store: story by URL %q: %w", raw, err)
	}
	return s, nil
}
