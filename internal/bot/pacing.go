package bot

import (
	"fmt"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// paced is how long the channel of d must wait before d's first request
// would go out: 0 when it may go now (or nothing paces the session). It
// looks at every route that request may take in the channel - a message,
// or a forum post - and takes the longest wait; a webhook's bucket is its
// own, and a wait for it is short enough to sit out in the transport.
func (dl *Deliverer) paced(d news.Delivery) time.Duration {
	if dl.Limiter == nil {
		return 0
	}
	ch := "/channels/" + d.ChannelID
	delay := func(method, path string) time.Duration { return dl.Limiter.Delay(method, ch+path) }
	switch d.Kind {
	case news.DeliveryComments:
		return delay("PATCH", "/messages/0")
	case news.DeliveryUpdated:
		return max(delay("PATCH", "/messages/0"), delay("POST", "/messages"))
	case news.DeliveryCrosspost:
		return delay("POST", "/messages/0/crosspost") // Discord allows ten an hour
	}
	return max(delay("POST", "/messages"), delay("POST", "/threads"))
}

// waitError is a request the limiter kept back because its bucket resets
// only after the request's deadline: nothing was sent, and the delivery
// waits as a 429 would have told it to.
type waitError struct {
	route string
	wait  time.Duration
}

func (e *waitError) Error() string {
	return fmt.Sprintf("%s: rate limit spent for %v more, past the request's deadline; nothing sent", e.route, e.wait.Round(time.Millisecond))
}
