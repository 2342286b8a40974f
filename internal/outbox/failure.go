package outbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// outcome is what a Deliverer says a failure means.
type outcome int

const (
	retry   outcome = iota // may pass: back off, longer each failure in a row
	wait                   // told when to come back (a 429): wait that long
	later                  // nothing was tried: the channel's rate limit is spent
	giveUp                 // can never succeed as it stands
	refused                // the channel refuses the bot: give up on it
)

type classified struct {
	err     error
	outcome outcome
	after   time.Duration // for wait and later
}

func (c *classified) Error() string { return c.err.Error() }
func (c *classified) Unwrap() error { return c.err }

// Wait marks err as "try again after d, as told" (a rate limit): the wait
// is exactly d, and it is not a failure - the backoff of the failures
// around it does not grow.
func Wait(err error, d time.Duration) error { return &classified{err: err, outcome: wait, after: d} }

// Later says the delivery was not tried at all because the channel may
// not be sent to for d (its rate limit is spent): the outbox moves on to
// other channels and comes back then. Nothing is recorded.
func Later(d time.Duration) error {
	return &classified{err: fmt.Errorf("rate limit spent: nothing sent; next try in %v", d), outcome: later, after: d}
}

// GiveUp marks err as one the delivery can never get past: it is given up.
func GiveUp(err error) error { return &classified{err: err, outcome: giveUp} }

// Refused marks err as the channel refusing the bot (gone, no access, no
// permission): the delivery is given up and the feed stops posting there
// until the subscription is healed.
func Refused(err error) error { return &classified{err: err, outcome: refused} }

// recordTimeout bounds writing a delivery's outcome. Outcomes are written
// even after shutdown began: a failure's backoff must not be lost.
const recordTimeout = 10 * time.Second

// minWait keeps a rate limit of zero from spinning the lane.
const minWait = 50 * time.Millisecond

// failed records what a delivery's failure means for it and its lane. It
// reports whether the lane may go on with its next delivery.
func (o *Outbox) failed(ctx context.Context, l *lane, d news.Delivery, err error) (goOn bool) {
	c := &classified{err: err, outcome: retry}
	errors.As(err, &c)
	now := o.opts.Now()
	if c.outcome == later {
		l.readyAt = now.Add(max(c.after, time.Millisecond))
		return false
	}
	if c.outcome == giveUp || c.outcome == refused {
		o.observe(d, "failed")
	} else {
		o.observe(d, "retried")
	}
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	var recErr error
	switch c.outcome {
	case wait:
		l.readyAt, l.queue = now.Add(max(c.after, minWait)), nil
		recErr = o.store.MarkRetry(rec, d.ID, err.Error(), l.readyAt)
	case giveUp:
		o.opts.Log.Error("delivery can never succeed; giving up on it", "delivery", d.ID, "kind", d.Kind, "err", err)
		l.failing, l.failures, goOn = 0, 0, true
		recErr = o.store.MarkFailed(rec, d.ID, err.Error())
	case refused:
		o.opts.Log.Error("Discord refuses the channel: no more stories go there until it is fixed and the bot restarted (or the config reloaded)",
			"feed", d.FeedID, "channel", d.ChannelID, "err", err)
		l.failing, l.failures, l.queue = 0, 0, nil
		recErr = errors.Join(o.store.MarkFailed(rec, d.ID, err.Error()),
			o.store.MarkSubscriptionBroken(rec, d.FeedID, d.ChannelID, err.Error()))
	default:
		if l.failing != d.ID {
			l.failing, l.failures = d.ID, 0
		}
		l.failures++
		backoff := o.backoff(l.failures)
		o.opts.Log.Warn("delivery not sent; retrying later", "delivery", d.ID, "kind", d.Kind, "channel", d.ChannelID,
			"failures", l.failures, "retry_in", backoff, "err", err)
		l.readyAt, l.queue = now.Add(backoff), nil
		recErr = o.store.MarkRetry(rec, d.ID, err.Error(), l.readyAt)
	}
	if recErr != nil && !errors.Is(recErr, news.ErrNotFound) {
		o.opts.Log.Error("record delivery failure", "delivery", d.ID, "err", fmt.Errorf("%w (after: %w)", recErr, err))
	}
	return goOn
}

// backoff is the wait after the nth failure in a row: RetryBase, doubling
// each failure, at most RetryMax. Rate limits in between do not count.
func (o *Outbox) backoff(failures int) time.Duration {
	return min(o.opts.RetryBase<<min(max(failures-1, 0), 20), o.opts.RetryMax)
}
