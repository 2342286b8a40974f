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
}

func (f *fake) Deliver(ctx context.Context, d news.Delivery) error {
	if f.before != nil {
		f.before(d)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tried = append(f.tried, fmt.Sprintf("%s:%d", d.ChannelID, d.ID))
	if err := f.fail[d.ChannelID]; err != nil {
		return err
	}
	f.sent = append(f.sent, fmt.Sprintf("%s:%d", d.ChannelID, d.ID))
	if err := f.db.RecordAttempt(ctx, d.ID, *f.now); err != nil {
		return err
	}
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

func TestFailureOutcomes(t *testing.T) {
	for _, tc := range []struct {
		name      string
		err       error
		attempts  int
		state     news.DeliveryState
		notBefore time.Duration // after now, for pending ones
		broken    bool
	}{
		{"server error, first attempt", errors.New("500"), 0, news.DeliveryPending, time.Minute, false},
		{"server error, third attempt", errors.New("500"), 2, news.DeliveryPending, 4 * time.Minute, false},
		{"server error, many attempts", errors.New("500"), 30, news.DeliveryPending, 15 * time.Minute, false},
		{"rate limit waits as told", Wait(errors.New("429"), 7*time.Second), 5, news.DeliveryPending, 7 * time.Second, false},
		{"bad request is given up", GiveUp(errors.New("50035 Invalid Form Body")), 0, news.DeliveryFailed, 0, false},
		{"refused channel", Refused(errors.New("50013 Missing Permissions")), 0, news.DeliveryFailed, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			ctx := context.Background()
			if _, _, err := r.db.EnsureSubscription(ctx, "world", "A", r.now); err != nil {
				t.Fatal(err)
			}
			id := r.enqueue("A")[0]
			for i := 0; i < tc.attempts; i++ {
				if err := r.db.RecordAttempt(ctx, id, r.now); err != nil {
					t.Fatal(err)
				}
			}
			r.dl.fail["A"] = tc.err
			r.ob.Drain(ctx)
			d := r.delivery(id)
			if d.State != tc.state || d.LastError != tc.err.Error() {
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

// TestRunFinishesTheDeliveryInFlight: stopping the outbox while a delivery
// is being sent lets it finish and be recorded, and sends nothing more.
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
	r.enqueue("A", "B")
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
