// Package feed fetches feeds and pages, over HTTP or from local files, within
// size, time and redirect limits and behind an address guard, and parses
// RSS, Atom and JSON Feed documents into news.Article values.
package feed

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"time"
)

// Defaults used when the corresponding Fetcher field is zero.
const (
	DefaultUserAgent    = "newsbot/dev (+https://github.com/newsbot-dev/newsbot)"
	DefaultTimeout      = 20 * time.Second
	DefaultMaxBody      = 10 << 20
	DefaultMaxRedirects = 5
)

// acceptHeader prefers feeds but takes pages, which the page parsers read.
const acceptHeader = "application/rss+xml, application/atom+xml, application/feed+json, " +
	"application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"

// Fetcher fetches documents. The zero value is ready to use; a Fetcher is
// safe for concurrent use and should be reused so connections are pooled.
type Fetcher struct {
	// Client is optional. When its Transport is nil or an *http.Transport,
	// Fetch uses a clone with the address guard installed (and proxies
	// disabled, since a proxy would connect out of the guard's sight); any
	// other RoundTripper is used as is and owns the address policy.
	Client       *http.Client
	UserAgent    string        // default DefaultUserAgent
	Timeout      time.Duration // whole request including the body; default 20s
	MaxBody      int64         // larger bodies are an error, never truncated; default 10 MiB
	MaxRedirects int           // default 5; negative follows none

	// Test hooks: name resolution and the final dial of a checked address.
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)
	dial   func(ctx context.Context, network, addr string) (net.Conn, error)

	once    sync.Once
	clients [2]*http.Client // [0] guarded, [1] allows private addresses
}

// Request says what to fetch. URL is http(s), file:// or a local path.
type Request struct {
	URL          string
	ETag         string // sent as If-None-Match
	LastModified string // sent as If-Modified-Since
	AllowPrivate bool   // permit loopback, private and link-local addresses

	// RemoteOnly refuses local paths and file:// URLs. Set it for URLs that
	// came out of fetched content (article links, comment links), which must
	// never read the bot's own disk.
	RemoteOnly bool
}

// Response is a fetched document. When NotModified is true Body is empty and
// the validators are those to send next time.
type Response struct {
	Body         []byte
	ETag         string
	LastModified string
	NotModified  bool
	FinalURL     string // after redirects
	ContentType  string
	Status       int
}

// Fetch retrieves r.URL. Errors name the URL; test them with errors.Is
// against ErrPrivateAddress, ErrTooLarge, ErrTooManyRedirects,
// context.DeadlineExceeded, or errors.As with *HTTPError.
func (f *Fetcher) Fetch(ctx context.Context, r Request) (*Response, error) {
	path, local, err := localPath(r.URL)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", r.URL, err)
	}
	if local {
		if r.RemoteOnly {
			return nil, fmt.Errorf("fetch %s: local files are not allowed here", r.URL)
		}
		return f.fetchFile(ctx, r, path)
	}
	return f.fetchHTTP(ctx, r)
}

func (f *Fetcher) fetchHTTP(parent context.Context, r Request) (*Response, error) {
	ctx, cancel := context.WithTimeout(parent, f.timeout())
	defer cancel()
	// Only our own timer firing is "timed out"; a caller's deadline or
	// cancellation is reported as the caller's.
	ownTimeout := func() bool { return ctx.Err() == context.DeadlineExceeded && parent.Err() == nil }
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", r.URL, err)
	}
	req.Header.Set("User-Agent", f.userAgent())
	req.Header.Set("Accept", acceptHeader)
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}
	resp, err := f.client(r.AllowPrivate).Do(req)
	if err != nil {
		return nil, f.describe(ownTimeout(), r.URL, err)
	}
	defer resp.Body.Close()
	out, err := checkStatus(r, resp)
	if err != nil || out.NotModified {
		return out, err
	}
	limit := f.maxBody()
	if resp.ContentLength > limit {
		return nil, tooLarge(out.FinalURL, limit)
	}
	body, err := readLimited(resp.Body, limit)
	if errors.Is(err, ErrTooLarge) {
		return nil, tooLarge(out.FinalURL, limit)
	}
	if err != nil {
		return nil, f.describe(ownTimeout(), r.URL, &url.Error{Op: "read body", URL: out.FinalURL, Err: err})
	}
	out.Body = body
	return out, nil
}

// checkStatus turns the status line and headers into a Response, or into an
// error for anything but success and "not modified".
func checkStatus(r Request, resp *http.Response) (*Response, error) {
	final := resp.Request.URL.String()
	out := &Response{
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		FinalURL:     final,
		ContentType:  resp.Header.Get("Content-Type"),
		Status:       resp.StatusCode,
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		// A 304 need not repeat the validators; keep the ones that matched.
		out.NotModified = true
		out.ETag = cmp.Or(out.ETag, r.ETag)
		out.LastModified = cmp.Or(out.LastModified, r.LastModified)
	case resp.StatusCode >= 400:
		e := &HTTPError{URL: final, Status: resp.StatusCode}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		}
		return nil, e
	case resp.StatusCode < 200 || resp.StatusCode >= 300:
		return nil, fmt.Errorf("fetch %s: unexpected status %s", final, resp.Status)
	}
	return out, nil
}

// readLimited reads at most limit bytes, failing with ErrTooLarge when there
// is more rather than returning a silently truncated document.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, ErrTooLarge
	}
	return body, nil
}

func tooLarge(u string, limit int64) error {
	return fmt.Errorf("fetch %s: %w (limit %s)", u, ErrTooLarge, formatSize(limit))
}

// describe rewrites client errors into messages an admin can act on, keeping
// the cause available to errors.Is.
func (f *Fetcher) describe(timedOut bool, raw string, err error) error {
	target, step := raw, ""
	var ue *url.Error
	if errors.As(err, &ue) {
		err, target = ue.Err, ue.URL
		if ue.Op == "read body" {
			step = "read body: "
		}
		// A refused redirect is reported with its Location as written,
		// which may be relative ("/feed?again"): name the whole address.
		if base, perr := url.Parse(raw); perr == nil {
			if ref, perr := url.Parse(target); perr == nil && !ref.IsAbs() {
				target = base.ResolveReference(ref).String()
			}
		}
	}
	via := ""
	if target != raw {
		via = " (redirected from " + raw + ")"
	}
	if ae := (*AddressError)(nil); errors.As(err, &ae) {
		return fmt.Errorf("refusing to fetch %s%s: %w", target, via, ae)
	}
	if timedOut && errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("fetch %s%s: %stimed out after %s: %w", target, via, step, f.timeout(), context.DeadlineExceeded)
	}
	return fmt.Errorf("fetch %s%s: %s%w", target, via, step, err)
}

func (f *Fetcher) client(allowPrivate bool) *http.Client {
	f.once.Do(func() {
		f.clients[0] = f.buildClient(false)
		f.clients[1] = f.buildClient(true)
	})
	if allowPrivate {
		return f.clients[1]
	}
	return f.clients[0]
}

// buildClient makes one client per address policy: separate connection
// pools, so a connection opened for a request that allowed private
// addresses is never reused by one that does not.
func (f *Fetcher) buildClient(allowPrivate bool) *http.Client {
	var c http.Client
	if f.Client != nil {
		c = *f.Client
	}
	var tr *http.Transport
	switch t := c.Transport.(type) {
	case nil:
		tr = http.DefaultTransport.(*http.Transport).Clone()
	case *http.Transport:
		tr = t.Clone()
	}
	if tr != nil {
		d := &dialer{allowPrivate: allowPrivate, lookup: f.lookup, dial: f.dial}
		if d.lookup == nil {
			d.lookup = defaultLookup
		}
		if d.dial == nil {
			d.dial = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
		}
		tr.Proxy = nil
		tr.DialContext = d.DialContext
		tr.DialTLSContext = nil
		c.Transport = tr
	}
	c.CheckRedirect = f.checkRedirect
	return &c
}

func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fmt.Errorf("redirect to unsupported scheme %q", req.URL.Scheme)
	}
	limit := f.MaxRedirects
	if limit == 0 {
		limit = DefaultMaxRedirects
	}
	if len(via) > max(limit, 0) {
		return fmt.Errorf("stopped after %d redirects: %w", max(limit, 0), ErrTooManyRedirects)
	}
	return nil
}

func (f *Fetcher) timeout() time.Duration {
	if f.Timeout > 0 {
		return f.Timeout
	}
	return DefaultTimeout
}

func (f *Fetcher) maxBody() int64 {
	if f.MaxBody > 0 {
		return f.MaxBody
	}
	return DefaultMaxBody
}

func (f *Fetcher) userAgent() string {
	return cmp.Or(f.UserAgent, DefaultUserAgent)
}

// formatSize prints a byte count the way limits are usually written.
func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
