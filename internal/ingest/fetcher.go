package ingest

import (
	"net/http"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/feed"
)

// NewFetcher is the fetcher a config's fetch section describes. Its
// connection pool keeps as many connections to each host as polls of it
// may run at once, and twice as many in all as fetches run at once, so
// feeds polled every minute mostly reuse a connection instead of opening
// one per poll, and idle connections stay bounded by the fetch cap.
func NewFetcher(c config.Fetch) *feed.Fetcher {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 2 * max(c.MaxConcurrent, 1)
	tr.MaxIdleConnsPerHost = max(c.PerHost, 1)
	return &feed.Fetcher{
		Client:    &http.Client{Transport: tr},
		UserAgent: c.UserAgent, Timeout: c.Timeout, MaxBody: c.MaxBody, MaxRedirects: c.MaxRedirects,
	}
}
