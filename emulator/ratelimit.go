package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// RateLimit tunes the emulated rate limits. Every bot route has a bucket
// per major parameter (channel, guild, webhook or interaction); answers
// carry Discord's X-RateLimit-* headers, and an empty bucket answers 429
// with retry_after.
//
// The zero value gives each bucket 50 requests per second and a global
// limit of 50 requests per second. Discord's real limits are tighter on
// some routes (message create is about 5 per 5 s per channel); set Routes
// to mimic them, or tighten everything to test the bot's backoff.
type RateLimit struct {
	Requests int              // per bucket per Window; default 50
	Window   time.Duration    // default 1 s
	Global   int              // bot requests per second across routes; default 50, negative: none
	Routes   map[string]Limit // per route, keyed like "POST /channels/{channel_id}/messages"
	Disabled bool             // no limits at all (headers still sent)
}

// Limit is a bucket size for one route.
type Limit struct {
	Requests int
	Window   time.Duration
}

func (r *RateLimit) defaults() {
	if r.Requests <= 0 {
		r.Requests = 50
	}
	if r.Window <= 0 {
		r.Window = time.Second
	}
	if r.Global == 0 {
		r.Global = 50
	}
}

type limiter struct {
	cfg RateLimit

	mu          sync.Mutex
	buckets     map[string]*bucket
	globalCount int
	globalReset time.Time
}

type bucket struct {
	remaining int
	reset     time.Time
}

func newLimiter(cfg RateLimit) *limiter {
	return &limiter{cfg: cfg, buckets: map[string]*bucket{}}
}

func (l *limiter) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buckets = map[string]*bucket{}
	l.globalCount = 0
}

// discordLimits are routes Discord limits more tightly than any setting
// here would: RateLimit.Routes may still change them.
var discordLimits = map[string]Limit{
	"POST /channels/{channel_id}/messages/{message_id}/crosspost": crosspostLimit,
}

func (l *limiter) limitFor(rt *route) Limit {
	lim := Limit{Requests: l.cfg.Requests, Window: l.cfg.Window}
	if o, ok := discordLimits[rt.name()]; ok {
		lim = o
	}
	if o, ok := l.cfg.Routes[rt.name()]; ok {
		if o.Requests > 0 {
			lim.Requests = o.Requests
		}
		if o.Window > 0 {
			lim.Window = o.Window
		}
	}
	return lim
}

// bucketHash is an opaque, stable id for a route, like Discord's bucket hashes.
func bucketHash(rt *route) string {
	sum := sha256.Sum256([]byte(rt.name()))
	return hex.EncodeToString(sum[:8])
}

// majorKey is the part of the path that splits a route into buckets.
func majorKey(params map[string]string) string {
	for _, k := range []string{"channel_id", "guild_id"} {
		if v := params[k]; v != "" {
			return v
		}
	}
	if v := params["webhook_id"]; v != "" {
		return v + "/" + params["webhook_token"]
	}
	return params["interaction_id"]
}

// allow takes a request from the route's bucket (and the global limit)
// and sets the rate-limit headers; when either is empty it writes the 429
// and returns false.
func (l *limiter) allow(w http.ResponseWriter, rt *route, params map[string]string, now time.Time) bool {
	lim := l.limitFor(rt)
	hash := bucketHash(rt)
	l.mu.Lock()
	if rt.global && l.cfg.Global > 0 && !l.cfg.Disabled {
		if !now.Before(l.globalReset) {
			l.globalCount, l.globalReset = 0, now.Add(time.Second)
		}
		if l.globalCount >= l.cfg.Global {
			wait := l.globalReset.Sub(now)
			l.mu.Unlock()
			write429(w, wait, true, "global")
			return false
		}
		l.globalCount++
	}
	key := hash + ":" + majorKey(params)
	b := l.buckets[key]
	if b == nil || !now.Before(b.reset) {
		b = &bucket{remaining: lim.Requests, reset: now.Add(lim.Window)}
		l.buckets[key] = b
	}
	limited := b.remaining <= 0 && !l.cfg.Disabled
	if !limited && b.remaining > 0 {
		b.remaining--
	}
	remaining, reset := b.remaining, b.reset
	l.mu.Unlock()
	setRateHeaders(w.Header(), lim.Requests, remaining, reset, now, hash)
	if limited {
		write429(w, reset.Sub(now), false, "user")
		return false
	}
	return true
}

func setRateHeaders(h http.Header, limit, remaining int, reset, now time.Time, hash string) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(reset.UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", seconds(reset.Sub(now)))
	h.Set("X-RateLimit-Bucket", hash)
}

// seconds formats d as Discord does, in seconds with millisecond
// precision, rounded up so a client that waits exactly that long is safe.
func seconds(d time.Duration) string {
	return strconv.FormatFloat(roundUpSeconds(d), 'f', 3, 64)
}

func roundUpSeconds(d time.Duration) float64 {
	if d < 0 {
		d = 0
	}
	return math.Ceil(float64(d)/float64(time.Millisecond)) / 1000
}

// write429 answers a rate-limited request the way Discord does.
func write429(w http.ResponseWriter, wait time.Duration, global bool, scope string) {
	h := w.Header()
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	h.Set("X-RateLimit-Scope", scope)
	if global {
		h.Set("X-RateLimit-Global", "true")
	}
	writeJSON(w, http.StatusTooManyRequests, map[string]any{
		"message": "You are being rate limited.", "retry_after": roundUpSeconds(wait), "global": global, "code": 0,
	})
}
