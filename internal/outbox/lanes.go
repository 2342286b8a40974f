package outbox

import (
	"context"
	"sort"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// lane is one channel's share of the outbox.
type lane struct {
	channel string
	queue   []news.Delivery // due, in the channel's order, as last read
	busy    bool            // a worker has it (and owns every field)

	// readyAt is when the channel may be sent to again: after a rate
	// limit's wait, or a failure's backoff.
	readyAt time.Time
	// failing is the delivery at the channel's head that failed for a
	// reason that may pass, failures how many times in a row it did.
	failing  int64
	failures int

	progress bool // a delivery went out in the lane's last turn
}

const (
	// perChannel is how many of a channel's due deliveries one read
	// takes: more than a rate-limit window lets out (Discord: 5).
	perChannel = 10
	// readLimit caps one read of the store.
	readLimit = 500
)

// refill reads what is due now into the idle lanes. It reports whether
// the read may have left some out.
func (o *Outbox) refill(ctx context.Context, now time.Time) (full bool) {
	ds, err := o.store.PendingPerChannel(ctx, now, perChannel, readLimit)
	if err != nil {
		if ctx.Err() == nil {
			o.opts.Log.Error("read outbox", "err", err)
		}
		return false
	}
	due := map[string][]news.Delivery{}
	for _, d := range ds {
		due[d.ChannelID] = append(due[d.ChannelID], d)
	}
	full = len(ds) == readLimit
	for ch, q := range due {
		full = full || len(q) == perChannel
		l := o.lanes[ch]
		if l == nil {
			l = &lane{channel: ch}
			o.lanes[ch] = l
		}
		if !l.busy {
			l.queue = q
		}
	}
	for ch, l := range o.lanes {
		if _, ok := due[ch]; ok || l.busy {
			continue
		}
		l.queue = nil
		if l.failures == 0 && !l.readyAt.After(now) {
			delete(o.lanes, ch) // nothing owed, nothing to remember
		}
	}
	return full
}

// ready are the idle lanes that have something to send now, the one with
// the oldest delivery first.
func (o *Outbox) ready(now time.Time) []*lane {
	var out []*lane
	for _, l := range o.lanes {
		if !l.busy && len(l.queue) > 0 && !l.readyAt.After(now) {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].queue[0].ID < out[j].queue[0].ID })
	return out
}

// returned takes a lane back from its turn. It reports whether the store
// should be read: the lane sent all it had read and may owe more.
func (o *Outbox) returned(l *lane) bool {
	l.busy = false
	return l.progress && len(l.queue) == 0
}

// nextWait is how long until the first idle lane's wait ends.
func (o *Outbox) nextWait(now time.Time) time.Duration {
	next := time.Duration(1<<63 - 1)
	for _, l := range o.lanes {
		if !l.busy && l.readyAt.After(now) {
			next = min(next, l.readyAt.Sub(now))
		}
	}
	return next
}

// waitsOver reports whether a lane whose queue was dropped for a backoff
// has come to the end of it, so the store must be read for its deliveries.
func (o *Outbox) waitsOver(now time.Time) bool {
	read := false
	for _, l := range o.lanes {
		if !l.busy && len(l.queue) == 0 && !l.readyAt.IsZero() && !l.readyAt.After(now) {
			l.readyAt, read = time.Time{}, true
		}
	}
	return read
}

// turn sends the lane's deliveries in order until one cannot go now.
func (o *Outbox) turn(ctx context.Context, l *lane) {
	l.progress = false
	for len(l.queue) > 0 && ctx.Err() == nil {
		d := l.queue[0]
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), deliveryTimeout)
		err := o.dl.Deliver(dctx, d)
		cancel()
		if err == nil {
			o.observe(d, "sent")
			l.queue = l.queue[1:]
			l.failing, l.failures, l.progress = 0, 0, true
			continue
		}
		if !o.failed(ctx, l, d, err) {
			return
		}
		l.queue = l.queue[1:]
	}
}
