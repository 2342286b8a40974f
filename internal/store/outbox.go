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

// enqueueStory records the deliveries a save makes owed. Per channel in
// Post: a first post ("new") once; after an update, an "updated" delivery
// per revision, but only where the first post went out or may have (a
// pending first post never attempted is moved to the new revision
// instead, and a skipped or failed one has nothing to edit). Per channel
// in Skip: a "new" delivery in state skipped, so no later poll posts the
// story as new. Deleted stories owe nothing.
func enqueueStory(ctx context.Context, tx querier, s news.Story, status news.Status, o SaveOptions, t time.Time) error {
	if s.Deleted {
		return nil
	}
	d := news.Delivery{FeedID: o.FeedID, StoryID: s.ID, Revision: s.Revision, CreatedAt: t, NotBefore: t}
	for _, ch := range uniqueChannels(o.Post) {
		d.ChannelID = ch
		var id int64
		var state news.DeliveryState
		var attempts int
		err := tx.QueryRowContext(ctx, "SELECT id, state, attempts FROM deliveries WHERE story_id = ? AND channel_id = ? AND kind = 'new'",
			s.ID, ch).Scan(&id, &state, &attempts)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			d.Kind, d.State = news.DeliveryNew, news.DeliveryPending
			_, err = insertDelivery(ctx, tx, d)
		case err != nil:
		case status != news.StatusUpdated:
		case state == news.DeliveryPending && attempts == 0:
			_, err = tx.ExecContext(ctx, "UPDATE deliveries SET revision = ? WHERE id = ?", s.Revision, id)
		case state == news.DeliverySent, state == news.DeliveryPending:
			// A first post already attempted may be in the channel with
			// the old text although it was never recorded (the bot died,
			// the answer was lost): its resend carries the same nonce, so
			// Discord answers with that old post. The update follows it,
			// and edits it once it is recorded.
			d.Kind, d.State = news.DeliveryUpdated, news.DeliveryPending
			_, err = insertDelivery(ctx, tx, d)
		}
		if err != nil {
			return fmt.Errorf("channel %s: %w", ch, err)
		}
	}
	for _, ch := range uniqueChannels(o.Skip) {
		d.ChannelID, d.Kind, d.State = ch, news.DeliveryNew, news.DeliverySkipped
		if _, err := insertDelivery(ctx, tx, d); err != nil {
			return fmt.Errorf("channel %s: %w", ch, err)
		}
	}
	if status == news.StatusUpdated {
		return updateOtherPosts(ctx, tx, s, o, t)
	}
	return nil
}

// updateOtherPosts tells every other channel that has the story's post of
// the update, whichever feed brought it: the same story from another site
// is news to every channel that saw the first version. Each update takes
// the feed of the post it updates, whose settings say how to show it.
func updateOtherPosts(ctx context.Context, tx querier, s news.Story, o SaveOptions, t time.Time) error {
	posts, err := queryDeliveries(ctx, tx, "story_id = ? AND kind = 'new' AND state = 'sent'", s.ID)
	if err != nil {
		return err
	}
	done := map[string]bool{}
	for _, ch := range o.Post {
		done[strings.TrimSpace(ch)] = true
	}
	for _, p := range posts {
		if done[p.ChannelID] {
			continue
		}
		d := news.Delivery{Kind: news.DeliveryUpdated, State: news.DeliveryPending, FeedID: p.FeedID, ChannelID: p.ChannelID,
			StoryID: s.ID, Revision: s.Revision, CreatedAt: t, NotBefore: t}
		if _, err := insertDelivery(ctx, tx, d); err != nil {
			return fmt.Errorf("channel %s: %w", p.ChannelID, err)
		}
	}
	return nil
}

func uniqueChannels(chs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range chs {
		if c = strings.TrimSpace(c); c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// insertDelivery adds a delivery with a fresh nonce. A delivery the unique
// indexes already hold ("new" per story and channel, "updated" per
// revision) is left alone; the id is then 0.
func insertDelivery(ctx context.Context, q querier, d news.Delivery) (int64, error) {
	var storyID any
	if d.StoryID != 0 {
		storyID = d.StoryID
	}
	return insertID(ctx, q, `INSERT INTO deliveries (kind, feed_id, channel_id, story_id, revision, text,
		nonce, state, created_at, not_before) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		d.Kind, d.FeedID, d.ChannelID, storyID, d.Revision, d.Text, newNonce(), d.State, ms(d.CreatedAt), ms(d.NotBefore))
}

const deliveryColumns = `id, kind, feed_id, channel_id, COALESCE(story_id, 0), revision, text, nonce, state,
	attempts, last_attempt, last_error, message_id, thread_id, webhook_id, created_at, sent_at, not_before`

func scanDelivery(row scanner) (news.Delivery, error) {
	var d news.Delivery
	var lastAttempt, created, sent, notBefore int64
	err := row.Scan(&d.ID, &d.Kind, &d.FeedID, &d.ChannelID, &d.StoryID, &d.Revision, &d.Text, &d.Nonce, &d.State,
		&d.Attempts, &lastAttempt, &d.LastError, &d.MessageID, &d.ThreadID, &d.WebhookID, &created, &sent, &notBefore)
	d.LastAttempt, d.CreatedAt = fromMS(lastAttempt), fromMS(created)
	d.SentAt, d.NotBefore = fromMS(sent), fromMS(notBefore)
	return d, err
}

func queryDeliveries(ctx context.Context, q querier, where string, args ...any) ([]news.Delivery, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+deliveryColumns+" FROM deliveries WHERE "+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func loadDelivery(ctx context.Context, q querier, id int64) (news.Delivery, error) {
	d, err := scanDelivery(q.QueryRowContext(ctx, "SELECT "+deliveryColumns+" FROM deliveries WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("delivery %d: %w", id, errNotFound)
	}
	return d, err
}

// Delivery returns one delivery; an unknown id is ErrNotFound.
func (db *DB) Delivery(ctx context.Context, id int64) (news.Delivery, error) {
	d, err := loadDelivery(ctx, db.r, id)
	if err != nil {
		return news.Delivery{}, fmt.Errorf("store: load delivery: %w", err)
	}
	return d, nil
}

// PendingDeliveries returns pending deliveries due at now, oldest first.
// A channel's deliveries go out in order: while its oldest pending one
// waits out a backoff, the later ones wait too, so a rate-limited story
// is not overtaken by the next (and an update never by its own post). A
// crosspost holds nothing up: Discord allows ten an hour per channel, and
// the posts must not wait for the publishing.
func (db *DB) PendingDeliveries(ctx context.Context, now time.Time, limit int) ([]news.Delivery, error) {
	out, err := queryDeliveries(ctx, db.r, `state = 'pending' AND not_before <= ?1
		AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.state = 'pending' AND e.channel_id = deliveries.channel_id
			AND e.id < deliveries.id AND e.not_before > ?1 AND e.kind <> 'crosspost')
		ORDER BY id LIMIT ?2`,
		ms(orNow(now)), clampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: pending deliveries: %w", err)
	}
	return out, nil
}

// DeliveryFilter narrows Deliveries; zero fields match everything.
type DeliveryFilter struct {
	FeedID    string
	ChannelID string
	StoryID   int64
	Kind      news.DeliveryKind
	State     news.DeliveryState
	Limit     int
}

// Deliveries lists deliveries matching f in creation order.
func (db *DB) Deliveries(ctx context.Context, f DeliveryFilter) ([]news.Delivery, error) {
	out, err := queryDeliveries(ctx, db.r, `(?1 = '' OR feed_id = ?1) AND (?2 = '' OR channel_id = ?2)
		AND (?3 = 0 OR story_id = ?3) AND (?4 = '' OR kind = ?4) AND (?5 = '' OR state = ?5) ORDER BY id LIMIT ?6`,
		f.FeedID, f.ChannelID, f.StoryID, string(f.Kind), string(f.State), clampLimit(f.Limit))
	if err != nil {
		return nil, fmt.Errorf("store: list deliveries %+v: %w", f, err)
	}
	return out, nil
}

// PostOf returns the sent first post of a story in a channel, whose message
// and thread an update edits and replies in. ErrNotFound when there is none.
func (db *DB) PostOf(ctx context.Context, storyID int64, channelID string) (news.Delivery, error) {
	out, err := queryDeliveries(ctx, db.r, "story_id = ? AND channel_id = ? AND kind = 'new' AND state = 'sent'", storyID, channelID)
	if err == nil && len(out) == 0 {
		err = errNotFound
	}
	if err != nil {
		return news.Delivery{}, fmt.Errorf("store: post of story %d in channel %q: %w", storyID, channelID, err)
	}
	return out[0], nil
}

// RecordAttempt counts an attempt before the delivery is sent, so that a
// crash between sending and MarkSent shows as an attempt without a result
// (and the resend reuses the nonce).
func (db *DB) RecordAttempt(ctx context.Context, id int64, now time.Time) error {
	return db.transition(ctx, "record attempt on", id, pendingOnly, "attempts = attempts + 1, last_attempt = ?", nil, ms(orNow(now)))
}

// MarkSent records the Discord message (and thread, if one was started) a
// delivery produced. Marking a sent delivery again updates its ids.
func (db *DB) MarkSent(ctx context.Context, id int64, messageID, threadID string, now time.Time) error {
	return db.MarkPosted(ctx, id, news.Posted{MessageID: messageID, ThreadID: threadID}, now)
}

// MarkPosted records what a delivery produced in Discord; with
// p.Crosspost, publishing the post is owed in the same transaction, so a
// crash cannot lose it.
func (db *DB) MarkPosted(ctx context.Context, id int64, p news.Posted, now time.Time) error {
	return db.transition(ctx, "mark sent", id, pendingOrSent, `state = 'sent', last_error = '', message_id = ?,
		thread_id = CASE WHEN ? = '' THEN thread_id ELSE ? END,
		webhook_id = CASE WHEN ? = '' THEN webhook_id ELSE ? END, sent_at = ?`,
		func(ctx context.Context, tx querier, d news.Delivery) error {
			if !p.Crosspost || d.Kind != news.DeliveryNew {
				return nil
			}
			c := news.Delivery{Kind: news.DeliveryCrosspost, State: news.DeliveryPending, FeedID: d.FeedID,
				ChannelID: d.ChannelID, StoryID: d.StoryID, Revision: d.Revision, CreatedAt: orNow(now), NotBefore: orNow(now)}
			_, err := insertDelivery(ctx, tx, c)
			return err
		},
		p.MessageID, p.ThreadID, p.ThreadID, p.WebhookID, p.WebhookID, ms(orNow(now)))
}

// SetThread records the thread later started on a sent post.
func (db *DB) SetThread(ctx context.Context, id int64, threadID string) error {
	return db.transition(ctx, "set thread of", id, sentOnly, "thread_id = ?", nil, threadID)
}

// MarkRetry keeps a delivery pending after a failed attempt, not to be
// tried before notBefore.
func (db *DB) MarkRetry(ctx context.Context, id int64, errText string, notBefore time.Time) error {
	return db.transition(ctx, "mark retry", id, pendingOnly, "last_error = ?, not_before = ?", nil, errText, ms(notBefore))
}

// MarkFailed gives up on a delivery for good.
func (db *DB) MarkFailed(ctx context.Context, id int64, errText string) error {
	return db.transition(ctx, "mark failed", id, pendingOnly, "state = 'failed', last_error = ?", nil, errText)
}

var (
	pendingOnly   = []news.DeliveryState{news.DeliveryPending}
	sentOnly      = []news.DeliveryState{news.DeliverySent}
	pendingOrSent = []news.DeliveryState{news.DeliveryPending, news.DeliverySent}
)

// lockDelivery keeps other processes from changing a delivery until the
// transaction ends, where they can (PostgreSQL); SQLite has one writer.
func lockDelivery(ctx context.Context, q querier, id int64) error {
	lock := q.eng().forUpdate()
	if lock == "" {
		return nil
	}
	_, err := q.ExecContext(ctx, "SELECT 1 FROM deliveries WHERE id = ?"+lock, id)
	return err
}

// transition updates a delivery that is in one of the allowed states, so a
// delivery given up on or already sent cannot be sent or retried again.
// then, when set, runs in the same transaction afterwards.
func (db *DB) transition(ctx context.Context, op string, id int64, allowed []news.DeliveryState, set string,
	then func(context.Context, querier, news.Delivery) error, args ...any) error {
	err := db.write(ctx, func(tx boundTx) error {
		if err := lockDelivery(ctx, tx, id); err != nil {
			return err
		}
		d, err := loadDelivery(ctx, tx, id)
		if err != nil {
			return err
		}
		for _, st := range allowed {
			if d.State == st {
				if _, err = tx.ExecContext(ctx, "UPDATE deliveries SET "+set+" WHERE id = ?", append(args, id)...); err != nil || then == nil {
					return err
				}
				return then(ctx, tx, d)
			}
		}
		return fmt.Errorf("delivery %d is %s, want %v: %w", id, d.State, allowed, errInvalid)
	})
	if err != nil {
		return fmt.Errorf("store: %s delivery %d: %w", op, id, err)
	}
	return nil
}
