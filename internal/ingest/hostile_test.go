package ingest

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/feed"
	"github.com/newsbot-dev/newsbot/internal/news"
)

// TestPageAtAFeedURLIsRefused: a login page answered with 200 and
// labelled RSS, at a feed of kind auto, is refused with an error naming
// the feed's URL and what came back; nothing is stored or owed. The same
// page is read as a story where kind: page says so.
func TestPageAtAFeedURLIsRefused(t *testing.T) {
	r := newRig(t)
	r.site.SetPage("/world.xml", "application/rss+xml",
		[]byte(`<!DOCTYPE html><html><head><title>Sign in</title></head><body><p>Please sign in to continue reading.</p></body></html>`))
	f := r.feed(5, "100000000000000001")
	_, err := r.poller.Poll(context.Background(), f)
	var nf *feed.NotFeedError
	if want := "feed " + f.URL + `: not a feed: got an HTML page titled "Sign in" (served as application/rss+xml)`; !errors.As(err, &nf) || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("err = %v\nwant it to start %q", err, want)
	}
	if ds := r.deliveries(news.DeliveryPending); len(ds) != 0 {
		t.Errorf("%d deliveries owed for a login page", len(ds))
	}

	f.Kind = config.KindPage
	r.now = r.now.Add(2 * time.Hour) // past the backoff
	if res := r.poll(f); res.New != 1 {
		t.Errorf("kind: page: %+v, want the page as one new story", res)
	}
}

// TestBadByteCostsOneCharacter: an invalid UTF-8 byte in one item posts
// both items, and the repair is logged once, naming the feed.
func TestBadByteCostsOneCharacter(t *testing.T) {
	r := newRig(t)
	var logs bytes.Buffer
	r.poller.Log = slog.New(slog.NewTextHandler(&logs, nil))
	r.site.SetPage("/world.xml", "application/rss+xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>W</title>`+
		"<item><guid>1</guid><title>Caf\xe9 opens</title></item><item><guid>2</guid><title>Bridge reopens</title></item></channel></rss>"))
	if res := r.poll(r.feed(5, "100000000000000001")); res.New != 2 {
		t.Errorf("poll: %+v, want both stories", res)
	}
	if n := strings.Count(logs.String(), "feed read with repairs"); n != 1 ||
		!strings.Contains(logs.String(), "feed=world") || !strings.Contains(logs.String(), "1 invalid UTF-8 byte replaced") {
		t.Errorf("want one repair line naming the feed; log:\n%s", logs.String())
	}
}
