package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

const lease = 30 * time.Second

// A feed's tick is polled by one process; a process that stops renewing
// its lease before finishing loses the poll to another; polls of a feed
// never overlap.
func TestPollClaims(t *testing.T) { forEachEngine(t, testPollClaims) }

func testPollClaims(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	a, b := db.Worker("a", lease, 8), db.Worker("b", lease, 8)
	tick1, tick2, tick3 := t0, t0.Add(time.Minute), t0.Add(2*time.Minute)
	claim := func(w *Worker, tick, now time.Time) PollClaim {
		t.Helper()
		c, err := w.ClaimPoll(ctx, "world", tick, now)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	steps := []struct {
		name string
		w    *Worker
		tick time.Time
		now  time.Time
		want PollClaim
	}{
		{"the first process to claim a tick polls it", a, tick1, t0, PollClaim{Granted: true}},
		{"another waits for it, in case it dies", b, tick1, t0.Add(time.Second), PollClaim{Holder: "a", RetryAt: t0.Add(lease)}},
	}
	for _, s := range steps {
		if got := claim(s.w, s.tick, s.now); got != s.want {
			t.Fatalf("%s: %+v, want %+v", s.name, got, s.want)
		}
	}
	if err := a.FinishPoll(ctx, "world", tick1); err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		name string
		w    *Worker
		tick time.Time
		now  time.Time
		want PollClaim
	}{
		{"a tick polled is not polled again", b, tick1, t0.Add(2 * time.Second), PollClaim{Holder: "a"}},
		{"the next tick is new work", b, tick2, tick2, PollClaim{Granted: true}},
		{"the same tick, by another, waits", a, tick2, tick2.Add(time.Second), PollClaim{Holder: "b", RetryAt: tick2.Add(lease)}},
		{"a later tick waits for a poll still running", a, tick3, tick2.Add(2 * time.Second), PollClaim{Holder: "b", RetryAt: tick2.Add(lease)}},
		{"a lease run out is taken over", a, tick2, tick2.Add(lease), PollClaim{Granted: true}},
	} {
		if got := claim(s.w, s.tick, s.now); got != s.want {
			t.Fatalf("%s: %+v, want %+v", s.name, got, s.want)
		}
	}
	// The process that lost its lease finishes late: it does not mark the
	// new holder's poll done.
	if err := b.FinishPoll(ctx, "world", tick2); err != nil {
		t.Fatal(err)
	}
	if got := claim(b, tick2, tick2.Add(lease+time.Second)); got.Granted || got.Holder != "a" || got.RetryAt.IsZero() {
		t.Fatalf("after the late finish: %+v, want a's poll still running", got)
	}
	// Renewing keeps the poll; releasing frees it at once.
	if _, err := a.Renew(ctx, tick2.Add(lease+10*time.Second)); err != nil {
		t.Fatal(err)
	}
	if got := claim(b, tick2, tick2.Add(2*lease)); got.Granted {
		t.Fatalf("a renewed lease was taken over: %+v", got)
	}
	if err := a.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if got := claim(b, tick2, tick2.Add(lease+20*time.Second)); !got.Granted {
		t.Fatalf("a released poll was not granted: %+v", got)
	}
	// Another key (a feed's comments) is claimed apart.
	if got := claim(a, tick2, tick2.Add(lease+20*time.Second)); got.Granted {
		t.Fatal("two processes polled one tick")
	}
	if c, err := a.ClaimPoll(ctx, "comments:world", tick2, tick2); err != nil || !c.Granted {
		t.Fatalf("comments of the feed: %+v, %v", c, err)
	}
}

// Each channel's deliveries go to one process at a time, in order; a
// process holds no more channels than it may, lets go of a channel with
// nothing left, and its channels pass to another when its lease runs out,
// the delivery it had attempted first.
func TestChannelClaims(t *testing.T) { forEachEngine(t, testChannelClaims) }

func testChannelClaims(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	for i, ch := range []string{"c1", "c2", "c3", "c1", "c2", "c3"} {
		mustSave(t, db, article(fmt.Sprintf("Story %d", i), fmt.Sprintf("Text of story %d.", i)),
			SaveOptions{FeedID: "f", Post: []string{ch}, Now: t0.Add(time.Duration(i) * time.Second)})
	}
	a, b := db.Worker("a", lease, 2), db.Worker("b", lease, 2)
	now := t0.Add(time.Minute)
	channelsOf := func(ds []news.Delivery) string {
		out := ""
		for _, d := range ds {
			out += fmt.Sprintf("%s:%d ", d.ChannelID, d.StoryID)
		}
		return out
	}
	pending := func(w *Worker, now time.Time) []news.Delivery {
		t.Helper()
		ds, err := w.PendingPerChannel(ctx, now, 10, 100)
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
	if got := channelsOf(pending(a, now)); got != "c1:1 c2:2 c1:4 c2:5 " {
		t.Fatalf("a, holding two channels at most, got %s", got)
	}
	if got := channelsOf(pending(b, now)); got != "c3:3 c3:6 " {
		t.Fatalf("b got %s; want the channel a does not hold", got)
	}
	// a attempts c1's first post and dies; b finishes c3.
	if err := db.RecordAttempt(ctx, 1, now); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{3, 6} {
		if err := db.MarkSent(ctx, id, fmt.Sprint("m", id), "", now); err != nil {
			t.Fatal(err)
		}
	}
	if got := channelsOf(pending(b, now.Add(time.Second))); got != "" {
		t.Fatalf("b while a's lease lasts: %s; want nothing", got)
	}
	if chs, _ := b.Channels(ctx, now.Add(time.Second)); len(chs) != 0 {
		t.Errorf("b still holds %v with nothing pending there", chs)
	}
	later := now.Add(lease + time.Second)
	got := pending(b, later)
	if channelsOf(got) != "c1:1 c2:2 c1:4 c2:5 " || got[0].Attempts != 1 {
		t.Fatalf("b after a's lease ran out: %s (first attempted %d times); want a's channels in order, the attempted post first",
			channelsOf(got), got[0].Attempts)
	}
	if got := channelsOf(pending(a, later)); got != "" {
		t.Errorf("a, back after losing its lease, got %s", got)
	}
	// The single-process read sees every channel.
	if all, err := db.PendingDeliveries(ctx, later, 100); err != nil || len(all) != 4 {
		t.Errorf("PendingDeliveries = %d, %v; want 4", len(all), err)
	}

	// The channels with work are shared evenly among the processes at
	// work: c, polling a feed, is one, so b keeps one of the two channels
	// left and c takes the other.
	c := db.Worker("c", lease, 64)
	if _, err := c.ClaimPoll(ctx, "world", later, later); err != nil {
		t.Fatal(err)
	}
	if err := b.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if got := channelsOf(pending(b, later)); got != "c1:1 c1:4 " {
		t.Errorf("b, with c at work too, got %s; want one of the two channels", got)
	}
	if got := channelsOf(pending(c, later)); got != "c2:2 c2:5 " {
		t.Errorf("c got %s; want the other channel", got)
	}
}

// A channel a worker has just finished is let go of before its share is
// counted, so it does not keep the worker from a dead process's channels.
func TestIdleChannelLeavesTheShare(t *testing.T) { forEachEngine(t, testIdleChannelLeavesTheShare) }

func testIdleChannelLeavesTheShare(t *testing.T, e testEngine) {
	ctx := context.Background()
	db := e.openMem(t)
	for i, ch := range []string{"c1", "c2", "c3"} {
		mustSave(t, db, article(fmt.Sprintf("Story %d", i), fmt.Sprintf("Text of story %d.", i)),
			SaveOptions{FeedID: "f", Post: []string{ch}, Now: t0.Add(time.Duration(i) * time.Second)})
	}
	a, b := db.Worker("a", lease, 2), db.Worker("b", lease, 2)
	now := t0.Add(time.Minute)
	if ds, err := a.PendingPerChannel(ctx, now, 10, 100); err != nil || len(ds) != 2 {
		t.Fatalf("a took %d deliveries, %v; want two channels' worth", len(ds), err)
	}
	if ds, err := b.PendingPerChannel(ctx, now, 10, 100); err != nil || len(ds) != 1 || ds[0].ChannelID != "c3" {
		t.Fatalf("b took %v, %v; want c3's", ds, err)
	}
	// b posts c3's story; a dies holding c1 and c2.
	if err := db.MarkSent(ctx, 3, "m3", "", now); err != nil {
		t.Fatal(err)
	}
	ds, err := b.PendingPerChannel(ctx, now.Add(lease+time.Second), 10, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range ds {
		got = append(got, d.ChannelID)
	}
	if fmt.Sprint(got) != "[c1 c2]" {
		t.Errorf("b after a's lease ran out took %v; want both of a's channels, c3 being done", got)
	}
}

// A rate shared by processes hands out turns one interval apart after
// its burst, whichever handle asks.
func TestReserveRate(t *testing.T) { forEachEngine(t, testReserveRate) }

func testReserveRate(t *testing.T, e testEngine) {
	ctx := context.Background()
	where := e.where(t)
	one, two := openAt(t, where), openAt(t, where)
	var got []time.Duration
	for i, db := range []*DB{one, two, one, two, one} {
		at, err := db.ReserveRate(ctx, "global", 20*time.Millisecond, 2, t0)
		if err != nil {
			t.Fatalf("turn %d: %v", i+1, err)
		}
		got = append(got, at.Sub(t0))
	}
	if fmt.Sprint(got) != "[0s 0s 20ms 40ms 60ms]" {
		t.Errorf("turns at %v; want two at once, then 20ms apart", got)
	}
	// After a quiet spell the burst is back.
	if at, _ := one.ReserveRate(ctx, "global", 20*time.Millisecond, 2, t0.Add(time.Second)); !at.Equal(t0.Add(time.Second)) {
		t.Errorf("after a quiet second: turn at %v", at.Sub(t0))
	}
	// An interval between milliseconds is rounded up: never faster than
	// asked (45 a second is 22.2 ms a turn).
	var odd []time.Duration
	for range 3 {
		at, err := one.ReserveRate(ctx, "odd", time.Second/45, 1, t0)
		if err != nil {
			t.Fatal(err)
		}
		odd = append(odd, at.Sub(t0))
	}
	if fmt.Sprint(odd) != "[0s 23ms 46ms]" {
		t.Errorf("turns of 1/45 s at %v; want 23 ms apart", odd)
	}
	if g, err := one.BumpGeneration(ctx, "config"); err != nil || g != 1 {
		t.Fatalf("first change: %d, %v", g, err)
	}
	two.BumpGeneration(ctx, "config")
	if g, err := one.Generation(ctx, "config"); err != nil || g != 2 {
		t.Errorf("generation = %d, %v; want 2", g, err)
	}
	if g, err := one.Generation(ctx, "other"); err != nil || g != 0 {
		t.Errorf("generation of nothing = %d, %v", g, err)
	}
}
