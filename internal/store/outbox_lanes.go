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
	if perChannel <= 0 {
		perChannel = 1
	}
	// held is the latest not_before of the delivery and every pending one
	// before it in its channel: the delivery is due when that has passed.
	out, err := queryDeliveries(ctx, db.r, `id IN (SELECT id FROM (
			SELECT id, ROW_NUMBER() OVER w AS n, MAX(not_before) OVER w AS held
			FROM deliveries WHERE state = 'pending'
			WINDOW w AS (PARTITION BY channel_id ORDER BY id ROWS UNBOUNDED PRECEDING))
		WHERE n <= ?2 AND held <= ?1)
		ORDER BY id LIMIT ?3`,
		ms(orNow(now)), perChannel, clampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: pending deliveries per channel: %w", err)
	}
	return out, nil
}
