package store

import (
	"context"
	"fmt"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// PendingPerChannel returns each channel's first perChannel pending
// deliveries that are due at now, oldest first, at most limit in all. The
// hold rule is PendingDeliveries': while a channel's earlier pending
// delivery waits out a backoff, nothing later in that channel is due.
// Reading a few per channel, rather than the oldest few overall, lets the
// outbox send to every channel at once even when one owes a long queue.
func (db *DB) PendingPerChannel(ctx context.Context, now time.Time, perChannel, limit int) ([]news.Delivery, error) {
	return db.pendingPerChannel(ctx, orNow(now), perChannel, limit, "")
}

// pendingPerChannel is PendingPerChannel over every channel, or with
// owner over the channels owner holds (claims.go).
func (db *DB) pendingPerChannel(ctx context.Context, now time.Time, perChannel, limit int, owner string) ([]news.Delivery, error) {
	if perChannel <= 0 {
		perChannel = 1
	}
	var held string
	args := []any{ms(now), perChannel, clampLimit(limit)}
	if owner != "" {
		held = " AND channel_id IN (SELECT channel_id FROM channel_claims WHERE owner = ?4 AND lease_until > ?1)"
		args = append(args, owner)
	}
	// held is the latest not_before of the delivery and every pending one
	// before it in its channel: the delivery is due when that has passed.
	out, err := queryDeliveries(ctx, db.r, `id IN (SELECT id FROM (
			SELECT id, ROW_NUMBER() OVER w AS n, MAX(not_before) OVER w AS held
			FROM deliveries WHERE state = 'pending'`+held+`
			WINDOW w AS (PARTITION BY channel_id ORDER BY id ROWS UNBOUNDED PRECEDING)) AS lanes
		WHERE n <= ?2 AND held <= ?1)
		ORDER BY id LIMIT ?3`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: pending deliveries per channel: %w", err)
	}
	return out, nil
}
