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
	retry   outcome = iota // may pass: back off, longer each attempt
	wait                   // told when to come back: wait that long
	giveUp                 // can never succeed as it stands
	refused                // the channel refuses the bot: give up on it
)

type classified struct {
	err     error
	outcome outcome
	after   time.Duration // for wait
}

func (c *classified) Error() string { return c.err.Error() }
func (c *classified) Unwrap() error { return c.err }

// Wait marks err as "try again after d, as told" (a rate limit): the wait
// is exactly d, however many attempts came before.
func Wait(err error, d time.Duration) error { return &classified{err: err, outcome: wait, after: d} }

// GiveUp marks err as one the delivery can never get past: it is given up.
func GiveUp(err error) error { return &classified{err: err, outcome: giveUp} }

// Refused marks err as the channel refusing the bot (gone, no access, no
// permission): the delivery is given up and the feed stops posting there
// until the subscription is healed.
func Refused(err error) error { return &classified{err: err, outcome: refused} }

// recordTimeout bounds writing a delivery's outcome. Outcomes are written
// even after shutdown began: a failure's backoff must not be lost.
const recordTimeout = 10 * time.Second

// failed records what a delivery's failure means for it (and its channel).
func (o *Outbox) failed(ctx context.Context, d news.Delivery, err error) {
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	now := o.opts.Now()
	c := &classified{err: err, outcome: retry}
	errors.As(err, &c)
	var recErr error
	switch c.outcome {
	case wait:
		recErr = o.store.MarkRetry(rec, d.ID, err.Error(), now.Add(max(c.after, 50*time.Millisecond)))
	case giveUp:
		o.opts.Log.Error("delivery can never succeed; giving up on it", "delivery", d.ID, "kind", d.Kind, "err", err)
		recErr = o.store.MarkFailed(rec, d.ID, err.Error())
	case refused:
		o.opts.Log.Error("Discord refuses the channel: no more stories go there until it is fixed and the bot restarted (or the config reloaded)",
			"feed", d.FeedID, "channel", d.ChannelID, "err", err)
		recErr = errors.Join(o.store.MarkFailed(rec, d.ID, err.Error()),
			o.store.MarkSubscriptionBroken(rec, d.FeedID, d.ChannelID, err.Error()))
	default:
		wait := o.backoff(d.Attempts)
		o.opts.Log.Warn("delivery not sent; retrying later", "delivery", d.ID, "kind", d.Kind, "channel", d.ChannelID,
			"retry_in", wait, "err", err)
		recErr = o.store.MarkRetry(rec, d.ID, err.Error(), now.Add(wait))
	}
	if recErr != nil && !errors.Is(recErr, news.ErrNotFound) {
		o.opts.Log.Error("record delivery failure", "delivery", d.ID, "err", fmt.Errorf("%w (after: %w)", recErr, err))
	}
}

// backoff is the wait after a failed attempt when attempts were made
// before it: RetryBase, doubling each attempt, at most RetryMax.
func (o *Outbox) backoff(attempts int) time.Duration {
	return min(o.opts.RetryBase<<min(attempts, 20), o.opts.RetryMax)
}
