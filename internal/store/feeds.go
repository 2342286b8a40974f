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

// FeedState returns what is remembered about polling a feed; a feed never
// polled has the zero state (with FeedID set), not an error.
func (db *DB) FeedState(ctx context.Context, feedID string) (news.FeedState, error) {
	st, err := scanFeedState(db.r.QueryRowContext(ctx, "SELECT "+feedStateColumns+" FROM feeds WHERE feed_id = ?", feedID))
	if errors.Is(err, sql.ErrNoRows) {
		return news.FeedState{FeedID: feedID}, nil
	}
	if err != nil {
		return news.FeedState{}, fmt.Errorf("store: load state of feed %q: %w", feedID, err)
	}
	return st, nil
}

// FeedStates returns what is remembered about every feed ever polled, in
// one read: a bot with thousands of feeds loads them all at start.
func (db *DB) FeedStates(ctx context.Context) (map[string]news.FeedState, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT "+feedStateColumns+" FROM feeds")
	if err != nil {
		return nil, fmt.Errorf("store: load feed states: %w", err)
	}
	defer rows.Close()
	out := map[string]news.FeedState{}
	for rows.Next() {
		st, err := scanFeedState(rows)
		if err != nil {
			return nil, fmt.Errorf("store: load feed states: %w", err)
		}
		out[st.FeedID] = st
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: load feed states: %w", err)
	}
	return out, nil
}

const feedStateColumns = `feed_id, etag, last_modified, last_poll, last_success, failures,
	failing_since, last_error, notice_sent, next_poll, capped_since`

func scanFeedState(row scanner) (news.FeedState, error) {
	var st news.FeedState
	var lastPoll, lastSuccess, failingSince, nextPoll, cappedSince int64
	err := row.Scan(&st.FeedID, &st.ETag, &st.LastModified, &lastPoll, &lastSuccess, &st.Failures, &failingSince,
		&st.LastError, &st.NoticeSent, &nextPoll, &cappedSince)
	st.LastPoll, st.LastSuccess = fromMS(lastPoll), fromMS(lastSuccess)
	st.FailingSince, st.NextPoll, st.CappedSince = fromMS(failingSince), fromMS(nextPoll), fromMS(cappedSince)
	return st, err
}

const putFeedState = `INSERT INTO feeds (feed_id, etag, last_modified, last_poll, last_success,
	failures, failing_since, last_error, notice_sent, next_poll, capped_since) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (feed_id) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
	last_poll = excluded.last_poll, last_success = excluded.last_success, failures = excluded.failures,
	failing_since = excluded.failing_since, last_error = excluded.last_error,
	notice_sent = excluded.notice_sent, next_poll = excluded.next_poll, capped_since = excluded.capped_since`

func putFeedStateArgs(st news.FeedState) []any {
	return []any{st.FeedID, st.ETag, st.LastModified, ms(st.LastPoll), ms(st.LastSuccess), st.Failures,
		ms(st.FailingSince), st.LastError, boolInt(st.NoticeSent), ms(st.NextPoll), ms(st.CappedSince)}
}

// PutFeedState replaces what is remembered about polling a feed.
func (db *DB) PutFeedState(ctx context.Context, st news.FeedState) error {
	if strings.TrimSpace(st.FeedID) == "" {
		return fmt.Errorf("store: save feed state: empty feed id: %w", errInvalid)
	}
	if _, err := db.w.ExecContext(ctx, putFeedState, putFeedStateArgs(st)...); err != nil {
		return fmt.Errorf("store: save state of feed %q: %w", st.FeedID, err)
	}
	return nil
}

// PutFeedStates replaces what is remembered about several feeds in one
// transaction: the poll times a bot keeps in memory, written now and then.
func (db *DB) PutFeedStates(ctx context.Context, sts []news.FeedState) error {
	err := db.write(ctx, func(tx boundTx) error {
		stmt, err := tx.PrepareContext(ctx, putFeedState)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, st := range sts {
			if strings.TrimSpace(st.FeedID) == "" {
				return fmt.Errorf("empty feed id: %w", errInvalid)
			}
			if _, err := stmt.ExecContext(ctx, tx.e.clean(putFeedStateArgs(st))...); err != nil {
				return fmt.Errorf("feed %q: %w", st.FeedID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save the state of %d feeds: %w", len(sts), err)
	}
	return nil
}

// Subscriptions lists the channels a feed posts into.
func (db *DB) Subscriptions(ctx context.Context, feedID string) ([]news.Subscription, error) {
	out, err := querySubscriptions(ctx, db.r, "WHERE feed_id = ?", feedID)
	if err != nil {
		return nil, fmt.Errorf("store: subscriptions of feed %q: %w", feedID, err)
	}
	return out, nil
}

// AllSubscriptions lists every feed's channels in one read.
func (db *DB) AllSubscriptions(ctx context.Context) ([]news.Subscription, error) {
	out, err := querySubscriptions(ctx, db.r, "")
	if err != nil {
		return nil, fmt.Errorf("store: all subscriptions: %w", err)
	}
	return out, nil
}

func querySubscriptions(ctx context.Context, q querier, where string, args ...any) ([]news.Subscription, error) {
	rows, err := q.QueryContext(ctx, `SELECT feed_id, channel_id, created, seeded, broken FROM subscriptions
		`+where+` ORDER BY feed_id, channel_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.Subscription
	for rows.Next() {
		var s news.Subscription
		var created int64
		if err := rows.Scan(&s.FeedID, &s.ChannelID, &created, &s.Seeded, &s.Broken); err != nil {
			return nil, err
		}
		s.Created = fromMS(created)
		out = append(out, s)
	}
	return out, rows.Err()
}

// EnsureSubscription records that a feed posts into a channel, returning
// the subscription and whether it was new.
func (db *DB) EnsureSubscription(ctx context.Context, feedID, channelID string, now time.Time) (news.Subscription, bool, error) {
	var sub news.Subscription
	var created bool
	err := func() error {
		if strings.TrimSpace(feedID) == "" || strings.TrimSpace(channelID) == "" {
			return fmt.Errorf("feed and channel are required: %w", errInvalid)
		}
		return db.write(ctx, func(tx boundTx) error {
			res, err := tx.ExecContext(ctx, `INSERT INTO subscriptions (feed_id, channel_id, created) VALUES (?, ?, ?)
				ON CONFLICT DO NOTHING`, feedID, channelID, ms(orNow(now)))
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			created = n > 0
			subs, err := querySubscriptions(ctx, tx, "WHERE feed_id = ? AND channel_id = ?", feedID, channelID)
			if err == nil && len(subs) == 1 {
				sub = subs[0]
			}
			return err
		})
	}()
	if err != nil {
		return news.Subscription{}, false, fmt.Errorf("store: subscribe channel %q to feed %q: %w", channelID, feedID, err)
	}
	return sub, created, nil
}

// MarkSubscriptionSeeded records that a channel's first poll happened.
func (db *DB) MarkSubscriptionSeeded(ctx context.Context, feedID, channelID string) error {
	return db.updateSubscription(ctx, "mark seeded", feedID, channelID, "seeded = 1")
}

// MarkSubscriptionBroken records why Discord refused a channel for good.
func (db *DB) MarkSubscriptionBroken(ctx context.Context, feedID, channelID, reason string) error {
	if reason == "" {
		reason = "broken"
	}
	return db.updateSubscription(ctx, "mark broken", feedID, channelID, "broken = ?", reason)
}

// HealSubscription gives a channel marked broken another chance: the mark
// is cleared and the channel counts as new to the feed again, so its next
// poll posts no more than the feed's backfill instead of everything missed.
func (db *DB) HealSubscription(ctx context.Context, feedID, channelID string) error {
	return db.updateSubscription(ctx, "heal", feedID, channelID, "broken = '', seeded = 0")
}

// DeleteSubscription forgets a channel that left a feed, so if it comes
// back it is new to the feed and gets only the backfill.
func (db *DB) DeleteSubscription(ctx context.Context, feedID, channelID string) error {
	_, err := db.w.ExecContext(ctx, "DELETE FROM subscriptions WHERE feed_id = ? AND channel_id = ?", feedID, channelID)
	if err != nil {
		return fmt.Errorf("store: unsubscribe channel %q from feed %q: %w", channelID, feedID, err)
	}
	return nil
}

func (db *DB) updateSubscription(ctx context.Context, op, feedID, channelID, set string, args ...any) error {
	res, err := db.w.ExecContext(ctx, "UPDATE subscriptions SET "+set+" WHERE feed_id = ? AND channel_id = ?",
		append(args, feedID, channelID)...)
	if err == nil {
		if n, _ := res.RowsAffected(); n == 0 {
			err = errNotFound
		}
	}
	if err != nil {
		return fmt.Errorf("store: %s subscription of channel %q to feed %q: %w", op, channelID, feedID, err)
	}
	return nil
}
