package scheduler

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/ingest"
)

func TestJitterSpreadsFeedsSharingASchedule(t *testing.T) {
	s := New(nil, Options{Jitter: 30 * time.Second})
	seconds := map[int]int{}
	for i := 0; i < 1000; i++ {
		d := s.jitter(fmt.Sprintf("feed-%d", i))
		if d < 0 || d >= 30*time.Second {
			t.Fatalf("jitter %v outside [0, 30s)", d)
		}
		if again := s.jitter(fmt.Sprintf("feed-%d", i)); again != d {
			t.Fatalf("a feed's offset moved from %v to %v", d, again)
		}
		seconds[int(d/time.Second)]++
	}
	for sec, n := range seconds {
		if n > 60 { // 1000 feeds over 30 seconds: about 33 each
			t.Errorf("%d feeds start in second %d", n, sec)
		}
	}
	if len(seconds) != 30 {
		t.Errorf("feeds start in %d distinct seconds of 30", len(seconds))
	}
}

func TestHostLimiter(t *testing.T) {
	h := newHostLimiter(1)
	release, err := h.acquire(context.Background(), "example.com")
	if err != nil {
		t.Fatal(err)
	}
	full, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.acquire(full, "example.com"); err == nil {
		t.Error("a second fetch of the same host got a slot while the first ran")
	}
	other, err := h.acquire(full, "other.example")
	if err != nil {
		t.Errorf("another host waited for example.com: %v", err)
	} else {
		other()
	}
	release()
	if r, err := h.acquire(context.Background(), "example.com"); err != nil {
		t.Errorf("slot not returned: %v", err)
	} else {
		r()
	}
}

// fakeIngest counts polls.
type fakeIngest struct {
	mu    sync.Mutex
	polls map[string]int
}

func (f *fakeIngest) Poll(_ context.Context, feed config.Feed) (ingest.Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.polls == nil {
		f.polls = map[string]int{}
	}
	f.polls[feed.ID]++
	return ingest.Result{NotModified: true}, nil
}

func (f *fakeIngest) RefreshComments(context.Context, config.Feed) (int, error) { return 0, nil }

func TestApplyAddsRemovesAndReschedules(t *testing.T) {
	s := New(&fakeIngest{}, Options{Location: time.UTC, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	s.Start(context.Background())
	defer s.Stop()
	// Hourly and every minute never cross, whatever the time of day: a
	// schedule of "@hourly" next fires at most a minute away just before
	// the hour.
	a := config.Feed{ID: "a", URL: "https://example.com/a.xml", Schedule: "@every 1h"}
	b := config.Feed{ID: "b", URL: "https://example.com/b.xml", Schedule: "@daily"}
	if err := s.Apply([]config.Feed{a, b}); err != nil {
		t.Fatal(err)
	}
	hourly := s.NextRun("a")
	if hourly.IsZero() || s.NextRun("b").IsZero() {
		t.Fatalf("next runs: a %v, b %v", hourly, s.NextRun("b"))
	}
	a.Schedule = "@every 1m"
	if err := s.Apply([]config.Feed{a}); err != nil {
		t.Fatal(err)
	}
	if !s.NextRun("b").IsZero() {
		t.Error("removed feed b is still scheduled")
	}
	if next := s.NextRun("a"); next.IsZero() || !next.Before(hourly) {
		t.Errorf("feed a rescheduled to every minute runs next at %v (hourly was %v)", next, hourly)
	}
	if _, err := s.PollNow(context.Background(), "b"); err == nil {
		t.Error("polled a feed no longer configured")
	}
	if err := s.Apply([]config.Feed{{ID: "c", Schedule: "not a schedule"}}); err == nil {
		t.Error("a bad schedule was accepted")
	}
}
