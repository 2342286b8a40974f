package outbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

var t0 = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// fake is a Deliverer that answers each channel as the test says and
// records what it was asked to send, in order.
type fake struct {
	mu     sync.Mutex
	db     *store.DB
	now    *time.Time
	fail   map[string]error // channel → the error its deliveries meet
	sent   []string         // "channel:delivery id", in the order sent
	tried  []string
	before func(d news.Delivery) // runs as each delivery starts
	after  func()                // runs after each delivery
}

func (f *fake) Deliver(ctx context.Context, d news.Delivery) error {
	if f.before != nil {
		f.before(d)
	}
	if f.after != nil {
		defer f.after() // after the unlock below
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tried = append(f.tried, fmt.Sprintf("%s:%d", d.ChannelID, d.ID))
	var c *classified
	if err := f.fail[d.ChannelID]; errors.As(err, &c) && c.outcome == later {
		return err // the bot returns Later before it tries anything
	}
	// Like the bot, every try is recorded as an attempt before it is made.
	if err := f.db.RecordAttempt(ctx, d.ID, *f.now); err != nil {
		return err
	}
	if err := f.fail[d.ChannelID]; err != nil {
		return err
	}
	f.sent = append(f.sent, fmt.Sprintf("%s:%d", d.ChannelID, d.ID))
	return f.db.MarkSent(ctx, d.ID, fmt.Sprint("m", d.ID), "", *f.now)
}

func (f *fake) log() (tried, sent string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.tried, " "), strings.Join(f.sent, " ")
}

type rig struct {
	t   *testing.T
	db  *store.DB
	now time.Time
	dl  *fake
	ob  *Outbox
}

func newRig(t *testing.T) *rig {
	t.Helper()
	db, err := store.Open(context.Background(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r := &rig{t: t, db: db, now: t0}
	r.dl = &fake{db: db, now: &r.now, fail: map[string]error{}}
	r.ob = New(db, r.dl, Options{Now: func() time.Time { return r.now }, RetryBase: time.Minute,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	return r
}

// enqueue queues one delivery per channel named, in that order.
func (r *rig) enqueue(channels ...string) []int64 {
	r.t.Helper()
	var ids []int64
	for _, ch := range channels {
		d, err := r.db.EnqueueNotice(context.Background(), "world", ch, news.Notice{Kind: news.NoticeFailing, Failures: 5}, r.now)
		if err != nil {
			r.t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	return ids
}

func (r *rig) delivery(id int64) news.Delivery {
	r.t.Helper()
	d, err := r.db.Delivery(context.Background(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	return d
}

// TestHoldKeepsEachChannelsOrder: a failed delivery holds back the later
// ones of its channel, never another channel's, and once its backoff has
// passed the channel's deliveries go out in their order.
func TestHoldKeepsEachChannelsOrder(t *testing.T) {
	r := newRig(t)
	r.enqueue("A", "B", "A", "B")
	r.dl.fail["A"] = errors.New("502 Bad Gateway")
	r.ob.Drain(context.Background())
	tried, sent := r.dl.log()
	if tried != "A:1 B:2 B:4" || sent != "B:2 B:4" {
		t.Fatalf("tried %q, sent %q; want A's second delivery held behind its first, B's both sent", tried, sent)
	}
	if d := r.delivery(1); d.State != news.DeliveryPending || !d.NotBefore.Equal(t0.Add(time.Minute)) || d.LastError != "502 Bad Gateway" {
		t.Errorf("failed delivery = %+v; want pending, retried in a minute, with the error", d)
	}
	// Before the backoff ends nothing of A goes out, not even the later one.
	delete(r.dl.fail, "A")
	r.now = t0.Add(30 * time.Second)
	r.ob.Drain(context.Background())
	if _, sent := r.dl.log(); sent != "B:2 B:4" {
		t.Fatalf("sent %q during A's backoff", sent)
	}
	r.now = t0.Add(time.Minute)
	r.ob.Drain(context.Background())
	if _, sent := r.dl.log(); sent != "B:2 B:4 A:1 A:3" {
		t.Errorf("sent %q; want A's deliveries after the backoff, in order", sent)
	}
}

// drainAt drains with the clock at when.
func (r *rig) drainAt(when time.Time) {
	r.now = when
	r.ob.Drain(context.Background())
}

func TestFailureOutcomes(t *testing.T) {
	e500 := errors.New("500 Internal Server Error")
	limited := func(d time.Duration) error { return Wait(errors.New("429 Too Many Requests"), d) }
	repeat := func(n int, err error) []error {
		var out []error
		for range n {
			out = append(out, err)
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		errs      []error // what each try meets, the delivery due again before each
		state     news.DeliveryState
		notBefore time.Duration // after the last try, for pending ones
		broken    bool
	}{
		{"server error", []error{e500}, news.DeliveryPending, time.Minute, false},
		{"third server error in a row", repeat(3, e500), news.DeliveryPending, 4 * time.Minute, false},
		{"many server errors", repeat(30, e500), news.DeliveryPending, 15 * time.Minute, false},
		{"rate limit waits as told", []error{limited(7 * time.Second)}, news.DeliveryPending, 7 * time.Second, false},
		{"rate limit after failures still waits as told", []error{e500, e500, limited(7 * time.Second)},
			news.DeliveryPending, 7 * time.Second, false},
		{"twelve rate limits do not grow the backoff", append(repeat(12, limited(time.Second)), e500),
			news.DeliveryPending, time.Minute, false},
		{"rate limits between failures neither count nor reset", []error{e500, limited(time.Second), e500, limited(time.Second), e500},
			news.DeliveryPending, 4 * time.Minute, false},
		{"bad request is given up", []error{GiveUp(errors.New("50035 Invalid Form Body"))}, news.DeliveryFailed, 0, false},
		{"refused channel", []error{Refused(errors.New("50013 Missing Permissions"))}, news.DeliveryFailed, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			ctx := context.Background()
			if _, _, err := r.db.EnsureSubscription(ctx, "world", "A", r.now); err != nil {
				t.Fatal(err)
			}
			id := r.enqueue("A")[0]
			for i, err := range tc.errs {
				r.dl.fail["A"] = err
				r.drainAt(r.delivery(id).NotBefore)
				if tried, _ := r.dl.log(); strings.Count(tried, " ")+1 != i+1 {
					t.Fatalf("try %d: tried %q", i+1, tried)
				}
			}
			last := tc.errs[len(tc.errs)-1]
			d := r.delivery(id)
			if d.State != tc.state || d.LastError != last.Error() {
				t.Errorf("delivery %s with %q, want %s", d.State, d.LastError, tc.state)
			}
			if tc.state == news.DeliveryPending && !d.NotBefore.Equal(r.now.Add(tc.notBefore)) {
				t.Errorf("retry in %v, want %v", d.NotBefore.Sub(r.now), tc.notBefore)
			}
			subs, _ := r.db.Subscriptions(ctx, "world")
			if broken := len(subs) == 1 && subs[0].Broken != ""; broken != tc.broken {
				t.Errorf("subscription %+v; broken should be %v", subs, tc.broken)
			}
		})
	}
}

// TestLaterMovesOnAndRecordsNothing: a channel whose rate limit is spent
// is passed over without a write, the others go out, and it is sent to
// when its wait is over.
func TestLaterMovesOnAndRecordsNothing(t *testing.T) {
	r := newRig(t)
	r.enqueue("A", "B", "A")
	r.dl.fail["A"] = Later(5 * time.Second)
	r.ob.Drain(context.Background())
	if _, sent := r.dl.log(); sent != "B:2" {
		t.Fatalf("sent %q; want B's delivery while A waits", sent)
	}
	if d := r.delivery(1); d.LastError != "" || !d.NotBefore.Equal(t0) || d.Attempts != 0 {
		t.Errorf("a delivery never tried was recorded: %+v", d)
	}
	delete(r.dl.fail, "A")
	r.drainAt(t0.Add(4 * time.Second))
	if _, sent := r.dl.log(); sent != "B:2" {
		t.Fatalf("sent %q before A's wait was over", sent)
	}
	r.drainAt(t0.Add(5 * time.Second))
	if _, sent := r.dl.log(); sent != "B:2 A:1 A:3" {
		t.Errorf("sent %q; want A's deliveries in order once its wait is over", sent)
	}
}

// TestRunSendsChannelsSideBySide: while one channel's delivery is slow,
// another channel's go out, and each channel keeps its order.
func TestRunSendsChannelsSideBySide(t *testing.T) {
	r := newRig(t)
	bSent := make(chan struct{})
	var once sync.Once
	r.dl.before = func(d news.Delivery) {
		switch d.ChannelID {
		case "A":
			if d.ID == 1 {
				select {
				case <-bSent:
				case <-time.After(10 * time.Second):
					t.Error("B's delivery did not go out while A's was in flight")
				}
			}
		case "B":
			once.Do(func() { close(bSent) })
		}
	}
	allSent := make(chan struct{})
	var all sync.Once
	r.dl.after = func() {
		if _, sent := r.dl.log(); strings.Count(sent, ":") == 4 {
			all.Do(func() { close(allSent) })
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	r.enqueue("A", "B", "A", "B")
	go func() {
		r.ob.Run(ctx)
		close(done)
	}()
	<-allSent
	cancel()
	<-done
	_, sent := r.dl.log()
	if strings.Index(sent, "A:1") > strings.Index(sent, "A:3") || strings.Index(sent, "B:2") > strings.Index(sent, "B:4") {
		t.Errorf("sent %q; want each channel's deliveries in order", sent)
	}
}

// TestRunFinishesTheDeliveryInFlight: stopping the outbox while a delivery
// is being sent lets it finish and be recorded, and sends nothing more,
// not even the next one of its channel.
func TestRunFinishesTheDeliveryInFlight(t *testing.T) {
	r := newRig(t)
	ctx, cancel := context.WithCancel(context.Background())
	started, release := make(chan struct{}), make(chan struct{})
	r.dl.before = func(d news.Delivery) {
		if d.ID == 1 {
			started <- struct{}{}
			<-release
		}
	}
	done := make(chan struct{})
	go func() {
		r.ob.Run(ctx)
		close(done)
	}()
	r.enqueue("A", "A")
	r.ob.Wake()
	<-started
	cancel()
	close(release)
	<-done
	if _, sent := r.dl.log(); sent != "A:1" {
		t.Errorf("sent %q; want the delivery in flight finished and nothing started after the stop", sent)
	}
	if d := r.delivery(1); d.State != news.DeliverySent {
		t.Errorf("the delivery in flight is %s, want sent", d.State)
	}
}
