package bot

import (
	"context"
	"net/http"
)

// sharedTransport waits its turn of a global rate limit several processes
// share (Options.Shared) before each request that counts against
// Discord's global limit. It sits under the process's own Limiter, which
// keeps the buckets: a channel's bucket has one user anyway, since one
// process at a time holds a channel (store.Worker), but the global budget
// belongs to the bot, whichever process spends it.
type sharedTransport struct {
	next http.RoundTripper
	wait func(ctx context.Context) error
}

func (t sharedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if routeOf(req.Method, req.URL.Path).global {
		if err := t.wait(req.Context()); err != nil {
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, err
		}
	}
	return t.next.RoundTrip(req)
}

// shared wraps next (http.DefaultTransport when nil) with Options.Shared,
// when set.
func (b *Bot) shared(next http.RoundTripper) http.RoundTripper {
	if b.opts.Shared == nil {
		return next
	}
	if next == nil {
		next = http.DefaultTransport
	}
	return sharedTransport{next: next, wait: b.opts.Shared}
}
