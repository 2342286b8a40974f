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

// EnqueueNotice queues a feed health notice for a channel. The notice is
// kept as facts and rendered when it is sent.
func (db *DB) EnqueueNotice(ctx context.Context, feedID, channelID string, n news.Notice, now time.Time) (news.Delivery, error) {
	var d news.Delivery
	err := func() error {
		if strings.TrimSpace(channelID) == "" || n.Kind == "" {
			return fmt.Errorf("channel and notice kind are required: %w", errInvalid)
		}
		t := orNow(now)
		return db.write(ctx, func(tx boundTx) error {
			id, err := insertDelivery(ctx, tx, news.Delivery{Kind: news.DeliveryNotice, FeedID: feedID,
				ChannelID: channelID, State: news.DeliveryPending, CreatedAt: t, NotBefore: t})
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO notices (delivery_id, kind, failures, since, last_error,
				new_items, kept) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				id, n.Kind, n.Failures, ms(n.Since), n.LastError, n.NewItems, n.Kept); err != nil {
				return err
			}
			d, err = loadDelivery(ctx, tx, id)
			return err
		})
	}()
	if err != nil {
		return news.Delivery{}, fmt.Errorf("store: enqueue %s notice for channel %q of feed %q: %w", n.Kind, channelID, feedID, err)
	}
	return d, nil
}

// Notice returns what a notice delivery says. A notice queued before
// notices were kept as facts has none (ErrNotFound): its delivery's Text is
// the message.
func (db *DB) Notice(ctx context.Context, deliveryID int64) (news.Notice, error) {
	var n news.Notice
	var since int64
	err := db.r.QueryRowContext(ctx, "SELECT kind, failures, since, last_error, new_items, kept FROM notices WHERE delivery_id = ?", deliveryID).
		Scan(&n.Kind, &n.Failures, &since, &n.LastError, &n.NewItems, &n.Kept)
	if errors.Is(err, sql.ErrNoRows) {
		err = errNotFound
	}
	if err != nil {
		return news.Notice{}, fmt.Errorf("store: notice of delivery %d: %w", deliveryID, err)
	}
	n.Since = fromMS(since)
	return n, nil
}
