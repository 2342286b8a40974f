package scheduler

import (
	"context"
	"sync"
	"testing"
	"time"
)

// watchedClaims runs before once, ahead of the first claim asked of it,
// and tells done of every poll recorded as made.
type watchedClaims struct {
	Claims
	once   sync.Once
	before func()
	done   chan time.Time
}

func (w *watchedClaims) Claim(ctx context.Context, key string, tick time.Time) (bool, time.Time, error) {
	w.once.Do(w.before)
	return w.Claims.Claim(ctx, key, tick)
}

func (w *watchedClaims) Done(ctx context.Context, key string, tick time.Time) error {
	err := w.Claims.Done(ctx, key, tick)
	select {
	case w.done <- tick:
	default: // the test has what it wanted
	}
	return err
}

// A round's comment refresh claimed by a process that then stops
// answering passes to another when its lease ends, not a round later.
func TestCommentRefreshTakenOverWhenTheLeaseEnds(t *testing.T) {
	const every = time.Second
	c := &clock{now: t0}
	round := t0.Truncate(every)
	table := &sharedClaims{lease: 50 * time.Millisecond, rows: map[string]*claimRow{}}
	dead := process{table, "dead"}
	claims := &watchedClaims{Claims: process{table, "alive"}, done: make(chan time.Time, 10), before: func() {
		// The other process claims the round first and is never heard
		// from again; the next round is a new one.
		if ok, _, _ := dead.Claim(context.Background(), "comments:f0", round); !ok {
			t.Error("the dead process's claim was refused")
		}
		c.set(t0.Add(every))
	}}
	s := New(newFake(), Options{Log: quiet, Now: c.Now, CommentsEvery: every, Claims: claims})
	if err := s.Apply(feeds(1, "@every 1h", "example.com")); err != nil {
		t.Fatal(err)
	}
	s.Start(context.Background())
	defer s.Stop()
	select {
	case tick := <-claims.done:
		if !tick.Equal(round) {
			t.Errorf("refresh made for the round of %v; want the round the dead process held (%v), taken over when its lease ended",
				tick.Format(time.TimeOnly), round.Format(time.TimeOnly))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("comment refresh never made")
	}
}
