package main

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/emulator"
)

// stepClock is a clock a test moves by hand while the bot reads it.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// TestCommentSourceOutage is issue 12's first acceptance: a comment source
// answering 500 makes the feed unhealthy in /feeds status with the
// source's error, its channel gets one notice after failure_notice_after
// failures and one on recovery, and /quote says the source is failing.
func TestCommentSourceOutage(t *testing.T) {
	w := newWorld(t, emulator.Options{})
	it := item(1)
	it.Comments = "https://news.ycombinator.com/item?id=100"
	w.site.Set("/hn.xml", it)
	w.site.Fail("/hn/v0/item/100.json", http.StatusInternalServerError)
	w.writeConfig(`  - id: hn
    url: SITE/hn.xml
    channels: ["100000000000000001"]
    schedule: "@every 1h"
    backfill: 1
    comments: {source: hackernews, api_url: SITE/hn, refresh: [{until: 6h, every: 1m}]}
`)
	// The clock starts in the past: what ingest queues is due at once for
	// the outbox, which runs on real time.
	clock := &stepClock{now: time.Now().Add(-time.Hour)}
	w.start(appOptions{clock: clock.Now})
	f, _ := w.app.feed("hn")
	refresh := func() {
		t.Helper()
		clock.advance(2 * time.Minute)
		if _, err := w.app.ingest.RefreshComments(context.Background(), f); err != nil {
			t.Fatal(err)
		}
	}
	notices := func() []string {
		var out []string
		for _, m := range w.emu.Messages(newsChannel) {
			if strings.Contains(m.Content, "Comments for feed") {
				out = append(out, m.Content)
			}
		}
		return out
	}

	w.pollNow("hn") // brings story 1 and tries its comments: failure 1
	w.waitFor("the story's post", func() bool { return len(w.cards(newsChannel)) == 1 })
	_, d := w.ask("/feeds status", "")
	status := d.text()
	if !strings.Contains(status, "**hn** ⚠️ comments failing since <t:") || !strings.Contains(status, "(1 failure in a row)") ||
		!strings.Contains(status, "Comment source (hackernews) error: hacker news: item 100 (") ||
		!strings.Contains(status, "/hn/v0/item/100.json): ") || !strings.Contains(status, "500") || strings.Contains(status, "healthy") {
		t.Errorf("/feeds status with the comment source down:\n%s", status)
	}
	_, d = w.ask("/quote story:1", "")
	if !strings.Contains(d.text(), "Story 1 has no comments here yet because its comment source is failing: it has failed 1 time in a row") {
		t.Errorf("/quote with the source down: %q", d.text())
	}

	for range 4 { // failures 2 to 5: failure_notice_after is 5
		refresh()
	}
	w.waitFor("the failure notice", func() bool { return len(notices()) == 1 })
	if n := notices()[0]; !strings.Contains(n, "⚠️ Comments for feed **hn** can't be fetched: its comment source has failed 5 times in a row") ||
		!strings.Contains(n, "500") {
		t.Errorf("failure notice: %q", n)
	}
	refresh() // failure 6: no second notice
	w.site.SetPage("/hn/v0/item/100.json", "application/json", []byte(`{"id":100,"type":"story","title":"Story number 1","kids":[101]}`))
	w.site.SetPage("/hn/v0/item/101.json", "application/json",
		[]byte(`{"id":101,"type":"comment","by":"alice","time":1761998500,"parent":100,"text":"The source is back, and so am I."}`))
	w.site.Fail("/hn/v0/item/100.json", 0)
	refresh()
	w.waitFor("the recovery notice", func() bool { return len(notices()) == 2 })
	if n := notices()[1]; !strings.Contains(n, "✅ Comments for feed **hn** arrive again: its comment source works after 6 failed attempts") {
		t.Errorf("recovery notice: %q", n)
	}
	_, d = w.ask("/quote story:1", "")
	if !strings.Contains(d.text(), "The source is back, and so am I.") || !strings.Contains(d.text(), "**alice**") {
		t.Errorf("/quote after recovery: %q", d.text())
	}
	_, d = w.ask("/feeds status", "")
	if !strings.Contains(d.text(), "**hn** ✅ healthy") {
		t.Errorf("/feeds status after recovery:\n%s", d.text())
	}
	if got := len(notices()); got != 2 {
		t.Errorf("%d comment source notices, want 2", got)
	}
}
