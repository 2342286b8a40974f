package feed

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Errors callers test for with errors.Is; the wrapping error names the URL.
var (
	ErrPrivateAddress   = errors.New("private address")
	ErrTooLarge         = errors.New("body too large")
	ErrTooManyRedirects = errors.New("too many redirects")
)

// HTTPError is a 4xx or 5xx answer. RetryAfter is how long the server asked
// us to wait (429 and 503 only); zero when it did not say.
type HTTPError struct {
	URL        string
	Status     int
	RetryAfter time.Duration
}

func (e *HTTPError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "fetch %s: %d %s", e.URL, e.Status, http.StatusText(e.Status))
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// Temporary reports whether trying again later may succeed: rate limits,
// timeouts and server errors, as opposed to a feed that is gone or forbidden.
func (e *HTTPError) Temporary() bool {
	return e.Status == http.StatusTooManyRequests || e.Status == http.StatusRequestTimeout || e.Status >= 500
}

// parseRetryAfter reads a Retry-After value, either delay-seconds or an
// HTTP date; a date in the past means "now" and garbage means "not said".
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		// Clamp absurd values so the Duration cannot overflow.
		return min(time.Duration(min(secs, 1<<32))*time.Second, maxRetryAfter)
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d.Round(time.Second), maxRetryAfter)
		}
	}
	return 0
}

// maxRetryAfter bounds what a server can make us wait.
const maxRetryAfter = 7 * 24 * time.Hour
