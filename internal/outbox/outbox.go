// Package outbox sends what the store owes Discord: pending deliveries,
// oldest first, each channel's in order, with a wait after each failure
// that grows while the failures go on.
//
// A Deliverer (the bot) performs one delivery and records it as sent; the
// outbox decides what a failure means for the delivery and its channel.
package outbox

import (
	"context"
	"log/slog"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// Deliverer sends one delivery and records it as sent. An error means it
// was not sent (or not recorded); wrap it with Wait, GiveUp or Refused to
// say what the outbox should do, else it is retried after a backoff.
type Deliverer interface {
	Deliver(ctx context.Context, d news.Delivery) error
}

// Store is what the outbox needs of the store.
type Store interface {
	PendingDeliveries(ctx context.Context, now time.Time, limit int) ([]news.Delivery, error)
	MarkRetry(ctx context.Context, id int64, errText string, notBefore time.Time) error
	MarkFailed(ctx context.Context, id int64, errText string) error
	MarkSubscriptionBroken(ctx context.Context, feedID, channelID, reason string) error
}

// Outbox drains the store's pending deliveries through a Deliverer.
type Outbox struct {
	store Store
	dl    Deliverer
	opts  Options
	wake  chan struct{}
}

// Options tune an Outbox. The zero value is production behaviour.
type Options struct {
	Log *slog.Logger
	Now func() time.Time // the clock; time.Now when nil

	// Idle is how often the store is checked when nothing wakes the
	// outbox; 1 s when 0.
	Idle time.Duration
	// RetryBase is the first wait after a delivery failed for a reason
	// that may pass (a server error); it doubles per attempt up to
	// RetryMax. Defaults: 2 s and 15 minutes.
	RetryBase, RetryMax time.Duration
}

// New returns an outbox that sends store's deliveries through dl.
func New(store Store, dl Deliverer, o Options) *Outbox {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Idle <= 0 {
		o.Idle = time.Second
	}
	if o.RetryBase <= 0 {
		o.RetryBase = 2 * time.Second
	}
	if o.RetryMax <= 0 {
		o.RetryMax = 15 * time.Minute
	}
	return &Outbox{store: store, dl: dl, opts: o, wake: make(chan struct{}, 1)}
}

// Wake tells the outbox there may be new work.
func (o *Outbox) Wake() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Run sends deliveries until ctx ends. A delivery already started when
// ctx ends is finished, not abandoned: abandoning it between send and
// record is exactly the case the nonce must then repair.
func (o *Outbox) Run(ctx context.Context) {
	idle := time.NewTimer(0)
	defer idle.Stop()
	for {
		full, progress := o.Drain(ctx)
		if ctx.Err() != nil {
			return
		}
		if full && progress {
			continue
		}
		idle.Reset(o.opts.Idle)
		select {
		case <-ctx.Done():
			return
		case <-o.wake:
		case <-idle.C:
		}
	}
}

// batch is how many deliveries one Drain reads.
const batch = 50

// deliveryTimeout bounds one delivery, including one that must finish
// after shutdown began.
const deliveryTimeout = 30 * time.Second

// Drain sends one batch of the deliveries due now. It reports whether the
// batch was full, so more may be waiting, and whether any delivery went
// out: a batch where every one failed (Discord down, the disk full) waits
// before the next, so the loop never spins.
func (o *Outbox) Drain(ctx context.Context) (full, progress bool) {
	ds, err := o.store.PendingDeliveries(ctx, o.opts.Now(), batch)
	if err != nil {
		if ctx.Err() == nil {
			o.opts.Log.Error("read outbox", "err", err)
		}
		return false, false
	}
	held := map[string]bool{} // channels whose earlier delivery just failed
	for _, d := range ds {
		if ctx.Err() != nil {
			return false, progress
		}
		if held[d.ChannelID] {
			continue // keeps the channel's order: it waits for the failed one
		}
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), deliveryTimeout)
		err := o.dl.Deliver(dctx, d)
		cancel()
		if err != nil {
			held[d.ChannelID] = true
			o.failed(ctx, d, err)
			continue
		}
		progress = true
	}
	return len(ds) == batch, progress
}
