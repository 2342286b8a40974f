package bot

import (
	"context"
	"net/http"
	"strings"
)

// limited waits its turn before every request that counts against
// Discord's global rate limit: a budget several processes share
// (Options.Limit). Interaction and webhook-token routes are authorised by
// the token in their path and exempt from the global limit, as on
// Discord.
type limited struct {
	next http.RoundTripper
	wait func(ctx context.Context) error
}

func (l limited) RoundTrip(r *http.Request) (*http.Response, error) {
	if countsGlobally(r.URL.Path) {
		if err := l.wait(r.Context()); err != nil {
			return nil, err
		}
	}
	return l.next.RoundTrip(r)
}

// countsGlobally reports whether a request to path (…/api/v10/…) counts
// against the global limit.
func countsGlobally(path string) bool {
	_, rest, ok := strings.Cut(path, "/api/")
	if !ok {
		return true
	}
	parts := strings.Split(rest, "/") // v10, then the route
	if len(parts) < 2 {
		return true
	}
	switch parts[1] {
	case "interactions":
		return false
	case "webhooks":
		return len(parts) < 4 // webhooks/{id} is the bot's; webhooks/{id}/{token} is not
	}
	return true
}

// limit wraps the session's transport with Options.Limit, when set.
func (b *Bot) limit(c *http.Client) {
	if b.opts.Limit == nil {
		return
	}
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c.Transport = limited{next: next, wait: b.opts.Limit}
}
