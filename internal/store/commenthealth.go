package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// CommentHealth returns what is remembered about a feed's comment source;
// a source never tried has the zero record (with FeedID set).
func (db *DB) CommentHealth(ctx context.Context, feedID string) (news.SourceHealth, error) {
	h, err := scanHealth(db.r.QueryRowContext(ctx, "SELECT "+healthColumns+" FROM comment_health WHERE feed_id = ?", feedID))
	if errors.Is(err, sql.ErrNoRows) {
		return news.SourceHealth{FeedID: feedID}, nil
	}
	if err != nil {
		return news.SourceHealth{}, fmt.Errorf("store: comment source health of feed %q: %w", feedID, err)
	}
	return h, nil
}

const healthColumns = "feed_id, failures, failing_since, last_error, last_attempt, last_success, notice_sent"

func scanHealth(row interface{ Scan(...any) error }) (news.SourceHealth, error) {
	var h news.SourceHealth
	var since, attempt, success int64
	if err := row.Scan(&h.FeedID, &h.Failures, &since, &h.LastError, &attempt, &success, &h.NoticeSent); err != nil {
		return news.SourceHealth{}, err
	}
	h.FailingSince, h.LastAttempt, h.LastSuccess = fromMS(since), fromMS(attempt), fromMS(success)
	return h, nil
}

// CommentHealths returns every comment source's record that was ever
// kept, by feed id: one read for /feeds status however many feeds there are.
func (db *DB) CommentHealths(ctx context.Context) (map[string]news.SourceHealth, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT "+healthColumns+" FROM comment_health")
	if err != nil {
		return nil, fmt.Errorf("store: comment source health: %w", err)
	}
	defer rows.Close()
	out := map[string]news.SourceHealth{}
	for rows.Next() {
		h, err := scanHealth(rows)
		if err != nil {
			return nil, fmt.Errorf("store: comment source health: %w", err)
		}
		out[h.FeedID] = h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: comment source health: %w", err)
	}
	return out, nil
}

// PutCommentHealth replaces what is remembered about a feed's comment source.
func (db *DB) PutCommentHealth(ctx context.Context, h news.SourceHealth) error {
	if strings.TrimSpace(h.FeedID) == "" {
		return fmt.Errorf("store: save comment source health: empty feed id: %w", errInvalid)
	}
	_, err := db.w.ExecContext(ctx, `INSERT INTO comment_health (feed_id, failures, failing_since, last_error,
		last_attempt, last_success, notice_sent) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (feed_id) DO UPDATE SET failures = excluded.failures, failing_since = excluded.failing_since,
		last_error = excluded.last_error, last_attempt = excluded.last_attempt, last_success = excluded.last_success,
		notice_sent = excluded.notice_sent`,
		h.FeedID, h.Failures, ms(h.FailingSince), h.LastError, ms(h.LastAttempt), ms(h.LastSuccess), boolInt(h.NoticeSent))
	if err != nil {
		return fmt.Errorf("store: save comment source health of feed %q: %w", h.FeedID, err)
	}
	return nil
}

// Writable proves the store still takes writes - the disk is not full or
// read-only, the file not locked by another process - by writing one row.
func (db *DB) Writable(ctx context.Context) error {
	_, err := db.w.ExecContext(ctx, `INSERT INTO liveness (id, at) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET at = excluded.at`, ms(time.Now()))
	if err != nil {
		return fmt.Errorf("store: write test: %w", err)
	}
	return nil
}

// OutboxBacklog is how much the outbox owes Discord: pending deliveries and
// when the oldest of them was queued (zero when none is pending).
func (db *DB) OutboxBacklog(ctx context.Context) (pending int, oldest time.Time, err error) {
	var first int64
	err = db.r.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MIN(created_at), 0) FROM deliveries WHERE state = 'pending'`).
		Scan(&pending, &first)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("store: outbox backlog: %w", err)
	}
	return pending, fromMS(first), nil
}
