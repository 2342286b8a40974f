package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// GlobalLimit is Discord's default global limit: requests per second per
// bot, across every route but interactions and webhooks with a token.
const GlobalLimit = 50

// globalWindow is the span the global limit counts over, and globalSlack
// what is added to it so that jitter in latency cannot bring one request
// too many into one of Discord's windows.
const (
	globalWindow = time.Second
	globalSlack  = 50 * time.Millisecond
)

// Limiter paces a session's requests to the rate limits Discord announces.
// Every answer's X-RateLimit-Bucket, -Remaining, -Reset-After (or -Reset),
// -Limit, -Scope and -Global headers update the bucket of the request's
// route and major parameter (channel, guild, webhook); a request whose
// bucket is spent waits for its reset, and no more than the global limit
// go out in any second. A 429 is obeyed: its bucket, or with
// X-RateLimit-Global every route, waits retry_after.
//
// It sits in the session's HTTP transport, so every request the session
// makes goes through it, whatever discordgo method made it. Waits end
// early when the request's context ends. Delay tells a caller (the outbox)
// how long a route would wait, so it can send elsewhere meanwhile.
//
// discordgo's own Ratelimiter also reads these headers, but sleeps deaf to
// the context, keeps its reset times private (nobody can ask it how long a
// channel must wait), knows no global limit until a global 429, and
// ignores bucket hashes. This one sits under it and keeps it from sleeping.
type Limiter struct {
	perSecond int // global limit; 0: none
	limited   atomic.Int64

	mu          sync.Mutex
	sent        []time.Time // send times of the last perSecond global requests, a ring
	next        int         // the ring's oldest
	globalUntil time.Time   // a global 429: nothing before this
	hashes      map[string]string
	buckets     map[string]*rlBucket
	changed     chan struct{} // closed when any bucket learns something
}

// rlBucket is what is known of one bucket (for one major parameter).
type rlBucket struct {
	limit     int
	remaining int // -1: unknown
	reset     time.Time
	inflight  int
}

// NewLimiter returns a limiter for a bot allowed perSecond requests a
// second globally (GlobalLimit unless Discord raised it); 0 or less paces
// buckets only.
func NewLimiter(perSecond int) *Limiter {
	l := &Limiter{perSecond: max(perSecond, 0), hashes: map[string]string{}, buckets: map[string]*rlBucket{},
		changed: make(chan struct{})}
	l.sent = make([]time.Time, l.perSecond)
	return l
}

// Limited is how many 429 answers the limiter has seen.
func (l *Limiter) Limited() int64 { return l.limited.Load() }

// Transport returns next (http.DefaultTransport when nil) with every
// request paced by l.
func (l *Limiter) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return limitedTransport{l: l, next: next}
}

type limitedTransport struct {
	l    *Limiter
	next http.RoundTripper
}

func (t limitedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rt := routeOf(req.Method, req.URL.Path)
	b, err := t.l.acquire(req.Context(), rt)
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	resp, err := t.next.RoundTrip(req)
	t.l.observe(rt, b, resp, err)
	return resp, err
}

// Delay is how long a request to path (with or without /api/vN) would
// wait now for its bucket or a global 429. The spacing of the global
// limit is left out: it holds every channel alike, so moving on to
// another would not help.
func (l *Limiter) Delay(method, path string) time.Duration {
	rt := routeOf(method, path)
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.delay(time.Now(), rt, l.bucket(rt, time.Now()), false)
}

// acquire waits until rt may be sent and takes its place in the bucket
// and the global window.
func (l *Limiter) acquire(ctx context.Context, rt route) (*rlBucket, error) {
	for {
		l.mu.Lock()
		now := time.Now()
		b := l.bucket(rt, now)
		wait := l.delay(now, rt, b, true)
		if wait <= 0 {
			if b.remaining > 0 {
				b.remaining--
			}
			b.inflight++
			if rt.global && l.perSecond > 0 {
				l.sent[l.next] = now
				l.next = (l.next + 1) % len(l.sent)
			}
			l.mu.Unlock()
			return b, nil
		}
		changed := l.changed
		l.mu.Unlock()
		if deadline, ok := ctx.Deadline(); ok && now.Add(wait).After(deadline) {
			return nil, &waitError{route: rt.key, wait: wait} // sleeping would only end in failure
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-changed:
			t.Stop()
		case <-t.C:
		}
	}
}

// unknownWait is how long a request waits, at most, for the answer to the
// one before it on a bucket not yet known (the answer wakes it sooner).
const unknownWait = time.Second

// delay is how long rt must wait at now. With l.mu held.
func (l *Limiter) delay(now time.Time, rt route, b *rlBucket, spacing bool) time.Duration {
	var d time.Duration
	if rt.global && l.globalUntil.After(now) {
		d = l.globalUntil.Sub(now)
	}
	switch {
	case b.remaining == 0 && b.reset.After(now):
		d = max(d, b.reset.Sub(now))
	case b.remaining < 0 && b.inflight > 0:
		// The first answer says how big the bucket is; until then, one
		// request at a time (as discordgo does).
		d = max(d, unknownWait)
	}
	if spacing && rt.global && l.perSecond > 0 {
		if oldest := l.sent[l.next]; !oldest.IsZero() {
			d = max(d, oldest.Add(globalWindow+globalSlack).Sub(now))
		}
	}
	return d
}

// bucket finds (or starts) rt's bucket, refilled when its reset passed.
// With l.mu held.
func (l *Limiter) bucket(rt route, now time.Time) *rlBucket {
	key := rt.key
	if h, ok := l.hashes[rt.key]; ok {
		key = h
	}
	key += "|" + rt.major
	b := l.buckets[key]
	if b == nil {
		b = &rlBucket{remaining: -1}
		l.buckets[key] = b
	}
	if !b.reset.IsZero() && !b.reset.After(now) {
		b.reset = time.Time{}
		b.remaining = -1
		if b.limit > 0 {
			b.remaining = max(b.limit-b.inflight, 0)
		}
	}
	return b
}

// observe updates rt's bucket b from an answer.
func (l *Limiter) observe(rt route, b *rlBucket, resp *http.Response, err error) {
	var tooMany struct {
		RetryAfter float64 `json:"retry_after"`
		Global     bool    `json:"global"`
	}
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		l.limited.Add(1)
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		_ = json.Unmarshal(body, &tooMany)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.wakeWaiters()
	b.inflight--
	if err != nil {
		return
	}
	now := time.Now()
	h := resp.Header
	if hash := h.Get("X-RateLimit-Bucket"); hash != "" && l.hashes[rt.key] != hash {
		// Routes Discord counts together share one bucket from now on.
		old := l.bucketKey(rt)
		l.hashes[rt.key] = hash
		key := l.bucketKey(rt)
		if l.buckets[old] == b {
			delete(l.buckets, old)
		}
		if shared := l.buckets[key]; shared != nil {
			b = shared
		} else {
			l.buckets[key] = b
		}
	}
	if n, err := strconv.Atoi(h.Get("X-RateLimit-Limit")); err == nil && n > 0 {
		b.limit = n
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		wait := seconds(tooMany.RetryAfter)
		if wait <= 0 {
			wait = headerSeconds(h.Get("Retry-After"))
		}
		if tooMany.Global || h.Get("X-RateLimit-Global") != "" {
			l.globalUntil = maxTime(l.globalUntil, now.Add(wait))
			return
		}
		b.remaining, b.reset = 0, maxTime(b.reset, now.Add(wait))
		return
	}
	if n, err := strconv.Atoi(h.Get("X-RateLimit-Remaining")); err == nil {
		// Requests still in flight took their place before the server
		// counted them.
		b.remaining = max(n-b.inflight, 0)
	}
	if reset, ok := resetOf(h, now); ok {
		b.reset = reset
	}
}

func (l *Limiter) bucketKey(rt route) string {
	if h, ok := l.hashes[rt.key]; ok {
		return h + "|" + rt.major
	}
	return rt.key + "|" + rt.major
}

// wakeWaiters lets every waiting request look again. With l.mu held.
func (l *Limiter) wakeWaiters() {
	close(l.changed)
	l.changed = make(chan struct{})
}

// resetOf reads when a bucket resets: Reset-After is relative, so immune
// to a wrong local clock; Reset is taken against the answer's Date.
func resetOf(h http.Header, now time.Time) (time.Time, bool) {
	if after, err := strconv.ParseFloat(h.Get("X-RateLimit-Reset-After"), 64); err == nil {
		return now.Add(seconds(after)), true
	}
	at, err := strconv.ParseFloat(h.Get("X-RateLimit-Reset"), 64)
	if err != nil {
		return time.Time{}, false
	}
	date, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return time.Time{}, false
	}
	// Date has whole seconds: a second's margin keeps the estimate late.
	return now.Add(time.UnixMilli(int64(at*1000)).Sub(date) + time.Second), true
}

func seconds(s float64) time.Duration {
	if s <= 0 || s > 1e6 {
		return 0
	}
	return time.Duration(s * float64(time.Second))
}

func headerSeconds(v string) time.Duration {
	s, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0
	}
	return seconds(s)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
