// Package outbox sends what the store owes Discord: pending deliveries,
// each channel's in order, several channels at once, with a wait after
// each failure that grows while the failures go on.
//
// A Deliverer (the bot) performs one delivery and records it as sent; the
// outbox decides what a failure means for the delivery and its channel.
// A channel is a lane: one worker at a time sends its deliveries one after
// another, so its order holds; a bounded pool of workers serves the lanes,
// so one channel's trouble (a backoff, a rate limit) never holds a worker
// another channel could use.
package outbox

import (
	"context"
	"log/slog"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// Deliverer sends one delivery and records it as sent. An error means it
// was not sent (or not recorded); wrap it with Wait, GiveUp or Refused to
// say what the outbox should do, return Later when nothing was tried, else
// it is retried after a backoff.
type Deliverer interface {
	Deliver(ctx context.Context, d news.Delivery) error
}

// Store is what the outbox needs of the store.
type Store interface {
	PendingPerChannel(ctx context.Context, now time.Time, perChannel, limit int) ([]news.Delivery, error)
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

	// lanes are the channels with something due or remembered (a failure
	// count, a rate-limit wait). Only Run's loop (or Drain) touches the
	// map and idle lanes; a busy lane belongs to its worker.
	lanes map[string]*lane
}

// Options tune an Outbox. The zero value is production behaviour.
type Options struct {
	Log *slog.Logger
	Now func() time.Time // the clock; time.Now when nil

	// Idle is how often the store is checked when nothing wakes the
	// outbox; 1 s when 0.
	Idle time.Duration
	// RetryBase is the first wait after a delivery failed for a reason
	// that may pass (a server error); it doubles with each failure in a
	// row, up to RetryMax. A rate limit is not a failure: it waits as
	// told and leaves the count alone. Defaults: 2 s and 15 minutes.
	RetryBase, RetryMax time.Duration
	// Workers is how many channels are sent to at once; default 16.
	// Discord allows a bot 50 requests a second and a channel about one,
	// so a few workers, each moving on as soon as its channel must wait,
	// keep the global budget busy.
	Workers int

	// Observer, when set, hears what became of each delivery attempt.
	Observer Observer
}

// Observer hears what became of each delivery attempt; metrics implement
// it. Result is "sent", "retried" (it will be tried again: backoff or a
// rate limit Discord answered) or "failed" (given up for good). A delivery
// held back before it was tried (its channel's budget spent) is no attempt.
type Observer interface {
	Delivery(kind, result string)
}

func (o *Outbox) observe(d news.Delivery, result string) {
	if o.opts.Observer != nil {
		o.opts.Observer.Delivery(string(d.Kind), result)
	}
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
	if o.Workers <= 0 {
		o.Workers = 16
	}
	return &Outbox{store: store, dl: dl, opts: o, wake: make(chan struct{}, 1), lanes: map[string]*lane{}}
}

// Wake tells the outbox there may be new work.
func (o *Outbox) Wake() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// readGap is the least time between two reads of the store by Run; a
// read that took long keeps the next ten times as far off.
const readGap = 100 * time.Millisecond

// deliveryTimeout bounds one delivery, including one that must finish
// after shutdown began.
const deliveryTimeout = 30 * time.Second

// Run sends deliveries until ctx ends, each channel's in order, up to
// Workers channels at once. A delivery already started when ctx ends is
// finished, not abandoned: abandoning it between send and record is
// exactly the case the nonce must then repair. Nothing starts after.
func (o *Outbox) Run(ctx context.Context) {
	work, done := make(chan *lane), make(chan *lane)
	for range o.opts.Workers {
		go func() {
			for l := range work {
				o.turn(ctx, l)
				done <- l
			}
		}()
	}
	free := o.opts.Workers
	timer := time.NewTimer(0)
	defer timer.Stop()
	// The store is read when woken, when a channel may owe more than was
	// read, when a backoff ends, and every Idle (real time) regardless -
	// but never sooner than readGap after the last read: with thousands
	// owed a read costs tens of milliseconds, and the lanes hold enough
	// for seconds of sending.
	read, idleAt, nextRead := true, time.Time{}, time.Time{}
	for ctx.Err() == nil {
		if (read || !time.Now().Before(idleAt)) && !time.Now().Before(nextRead) {
			start := time.Now()
			o.refill(ctx, o.opts.Now())
			took := time.Since(start)
			read, idleAt, nextRead = false, start.Add(o.opts.Idle), start.Add(max(readGap, 10*took))
		}
		now := o.opts.Now()
		for _, l := range o.ready(now) {
			if free == 0 {
				break
			}
			l.busy, free = true, free-1
			work <- l
		}
		until := idleAt
		if read || !time.Now().Before(idleAt) {
			until = nextRead // a read is due, held back by readGap
		}
		timer.Reset(min(time.Until(until), o.nextWait(now)))
		select {
		case <-ctx.Done():
		case <-o.wake:
			read = true
		case l := <-done:
			free++
			read = o.returned(l) || read
		case <-timer.C:
			read = o.waitsOver(o.opts.Now()) || read
		}
	}
	close(work)
	for ; free < o.opts.Workers; free++ {
		o.returned(<-done)
	}
}

// Drain is one step of Run in the caller's goroutine: it reads what is due
// now and gives each ready channel one turn, one channel after another. It
// reports whether the read was full, so more may be waiting, and whether
// any delivery went out. Not for use while Run runs.
func (o *Outbox) Drain(ctx context.Context) (full, progress bool) {
	now := o.opts.Now()
	full = o.refill(ctx, now)
	for _, l := range o.ready(now) {
		if ctx.Err() != nil {
			break
		}
		l.busy = true
		o.turn(ctx, l)
		o.returned(l)
		progress = progress || l.progress
	}
	return full, progress
}
