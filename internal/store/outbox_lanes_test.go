package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// TestPendingPerChannel: a channel that owes a long queue does not hide
// the others, and a channel whose head waits out a backoff owes nothing.
func TestPendingPerChannel(t *testing.T) { forEachEngine(t, testPendingPerChannel) }

func testPendingPerChannel(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	ids := map[string][]int64{}
	for _, ch := range []string{"A", "A", "A", "A", "B", "C", "C", "A"} {
		d, err := db.EnqueueNotice(ctx, "feed", ch, news.Notice{Kind: news.NoticeFailing, Failures: 5}, t0)
		if err != nil {
			t.Fatal(err)
		}
		ids[ch] = append(ids[ch], d.ID)
	}
	list := func(now time.Time, per, limit int) string {
		ds, err := db.PendingPerChannel(ctx, now, per, limit)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, d := range ds {
			s = append(s, fmt.Sprintf("%s%d", d.ChannelID, d.ID))
		}
		return strings.Join(s, " ")
	}
	if got, want := list(t0, 2, 10), "A1 A2 B5 C6 C7"; got != want {
		t.Errorf("two per channel: %q, want %q", got, want)
	}
	if got, want := list(t0, 2, 3), "A1 A2 B5"; got != want {
		t.Errorf("two per channel, three in all: %q, want %q", got, want)
	}
	// C's head waits a minute: all of C waits with it; A's second is
	// retried later, so A's first alone is due.
	if err := db.MarkRetry(ctx, ids["C"][0], "502", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkRetry(ctx, ids["A"][1], "502", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, want := list(t0, 3, 10), "A1 B5"; got != want {
		t.Errorf("with backoffs: %q, want %q", got, want)
	}
	if got, want := list(t0.Add(time.Minute), 3, 10), "A1 A2 A3 B5 C6 C7"; got != want {
		t.Errorf("after the backoffs: %q, want %q", got, want)
	}
	if err := db.MarkFailed(ctx, ids["A"][0], "50035"); err != nil {
		t.Fatal(err)
	}
	if got, want := list(t0.Add(time.Minute), 1, 10), "A2 B5 C6"; got != want {
		t.Errorf("after A's first was given up: %q, want %q", got, want)
	}
}

// BenchmarkPendingPerChannel: one read of the outbox with 10,000
// deliveries owed to 500 channels, beside the oldest-first read it
// replaced.
func BenchmarkPendingPerChannel(b *testing.B) {
	ctx := context.Background()
	db := openMem(b)
	for i := range 10000 {
		if _, err := db.EnqueueNotice(ctx, "feed", fmt.Sprint("c", i%500), news.Notice{Kind: news.NoticeFailing, Failures: 5}, t0); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("per-channel", func(b *testing.B) {
		for range b.N {
			if ds, err := db.PendingPerChannel(ctx, t0, 10, 500); err != nil || len(ds) != 500 {
				b.Fatal(len(ds), err)
			}
		}
	})
	b.Run("oldest-first", func(b *testing.B) {
		for range b.N {
			if ds, err := db.PendingDeliveries(ctx, t0, 50); err != nil || len(ds) != 50 {
				b.Fatal(len(ds), err)
			}
		}
	})
}
