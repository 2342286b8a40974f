// Package preflight finds what would keep a valid config from working,
// before it runs and without the network: a local feed file that is not
// there, an address the fetch guard refuses, a schedule that hammers a
// public site, a comment source that cannot fit its feed. Errors are
// certain to fail; warnings are likely mistakes an admin may mean.
package preflight

import (
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/feed"
)

// Severity says whether a finding stops the config from working.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Finding is one problem with one feed.
type Finding struct {
	File     string
	Line     int
	Feed     string
	Severity Severity
	Msg      string
}

func (f Finding) String() string {
	return fmt.Sprintf("%s:%d: %s: feed %q: %s", f.File, f.Line, f.Severity, f.Feed, f.Msg)
}

// MinInterval is the shortest gap between polls of a public site that
// is not a warning.
const MinInterval = time.Minute

// Check runs the static checks on every feed, at time now (schedules are
// read from it), in feed order.
func Check(cfg *config.Config, now time.Time) []Finding {
	var out []Finding
	for _, f := range cfg.Feeds {
		add := func(s Severity, format string, args ...any) {
			out = append(out, Finding{File: cfg.Path, Line: f.Line, Feed: f.ID, Severity: s, Msg: fmt.Sprintf(format, args...)})
		}
		checkSource(f, add)
		checkSchedule(f, now, add)
		checkComments(f, add)
	}
	return out
}

type adder func(s Severity, format string, args ...any)

// checkSource: a local file must exist; an address literal must be one
// the guard lets through.
func checkSource(f config.Feed, add adder) {
	if f.IsLocal() {
		if _, err := os.Stat(f.URL); err != nil {
			add(Error, "local file %s cannot be read: %v", f.URL, unwrapPath(err))
		}
		return
	}
	if f.AllowPrivate {
		return
	}
	if e := feed.LiteralAddress(f.URL); e != nil {
		add(Error, "url %s: %s, or allow_private: true on this feed if it is yours)", redact(f.URL), strings.TrimSuffix(e.Error(), ")"))
	}
	if u := f.Comments.APIURL; u != "" {
		if e := feed.LiteralAddress(u); e != nil {
			add(Error, "comments.api_url %s: %s, or allow_private: true on this feed)", redact(u), strings.TrimSuffix(e.Error(), ")"))
		}
	}
}

// checkSchedule warns about polling a public site more often than once a
// minute: sites rate-limit or block such clients, and feeds rarely change
// that fast.
func checkSchedule(f config.Feed, now time.Time, add adder) {
	if f.IsLocal() || feed.LiteralAddress(f.URL) != nil {
		return // the admin's own machine or network
	}
	first, err := f.NextRun(now)
	if err != nil || first.IsZero() {
		return
	}
	gap := time.Duration(1<<63 - 1)
	prev := first
	for range 4 {
		next, err := f.NextRun(prev)
		if err != nil || next.IsZero() {
			return
		}
		gap = min(gap, next.Sub(prev))
		prev = next
	}
	if gap < MinInterval {
		add(Warning, "schedule %q polls %s every %s; a public site may throttle or block a bot that polls more often than once a minute",
			f.Schedule, hostOf(f.URL), gap)
	}
}

// checkComments: a comment source that can never work is an error; one
// that likely cannot, from what the URL says, a warning that check --fetch
// settles.
func checkComments(f config.Feed, add adder) {
	src := f.Comments.Source
	if !src.Enabled() {
		return
	}
	if f.Kind == config.KindPage && src != config.CommentsPage {
		add(Error, "comments: {source: %s} never runs on kind: page, which reads comments from the page itself: use source: page", src)
		return
	}
	if f.IsLocal() || f.Comments.APIURL != "" {
		return // a local copy or a mirror: only fetching tells
	}
	host := hostOf(f.URL)
	switch {
	case src == config.CommentsHackerNews && !hnHost(host):
		add(Warning, "comments: {source: hackernews} needs items that link to news.ycombinator.com/item?id=…, and feeds from %s usually don't (check --fetch tells for sure)", host)
	case src == config.CommentsReddit && !redditHost(host):
		add(Warning, "comments: {source: reddit} needs items that link to a Reddit post, and feeds from %s usually don't (check --fetch tells for sure)", host)
	}
}

func hnHost(h string) bool {
	return h == "news.ycombinator.com" || h == "hnrss.org" || strings.HasSuffix(h, ".hnrss.org") || h == "hnrss.github.io"
}

func redditHost(h string) bool {
	return h == "reddit.com" || strings.HasSuffix(h, ".reddit.com") || h == "redd.it"
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.ToLower(u.Hostname())
}

// redact hides credentials and the query, which may hold a key.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.User = nil
	if u.RawQuery != "" {
		u.RawQuery = "…"
	}
	return u.String()
}

// unwrapPath keeps what is wrong, not the path the message already names.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
