package scheduler

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// sharedClaims is a claims table several schedulers share, with the
// store's rules (store.Worker): one poll per key and tick, a lease that
// runs out in real time, taken over once it has.
type sharedClaims struct {
	mu    sync.Mutex
	lease time.Duration
	rows  map[string]*claimRow
}

type claimRow struct {
	tick  time.Time
	owner string
	done  bool
	until time.Time
}

// process is one scheduler's view of the table.
type process struct {
	*sharedClaims
	owner string
}

func (p process) Claim(_ context.Context, key string, tick time.Time) (bool, time.Time, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := p.rows[key]
	now := time.Now()
	if r == nil || (r.done && r.tick.Before(tick)) || (!r.done && !now.Before(r.until) && !r.tick.After(tick)) {
		p.rows[key] = &claimRow{tick: tick, owner: p.owner, until: now.Add(p.lease)}
		return true, time.Time{}, nil
	}
	if r.done {
		return false, time.Time{}, nil
	}
	return false, r.until, nil
}

func (p process) Done(_ context.Context, key string, tick time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r := p.rows[key]; r != nil && r.owner == p.owner && r.tick.Equal(tick) {
		r.done = true
	}
	return nil
}

// TestClaimedPollsRunOncePerTick: three processes keep the same schedule
// and each feed is polled once per tick between them; a poll whose
// process stops answering passes to another when its lease runs out.
func TestClaimedPollsRunOncePerTick(t *testing.T) {
	c := &clock{now: t0}
	table := &sharedClaims{lease: 50 * time.Millisecond, rows: map[string]*claimRow{}}
	all := feeds(30, "@every 1m", "example.com")
	var ins []*fakeIngest
	var scheds []*Scheduler
	for i := range 3 {
		in := newFake()
		s := New(in, Options{Log: quiet, Now: c.Now, Jitter: time.Millisecond, PerHost: 30,
			Claims: process{table, fmt.Sprint("p", i)}})
		if err := s.Apply(all); err != nil {
			t.Fatal(err)
		}
		ins, scheds = append(ins, in), append(scheds, s)
	}
	total := func(id string) (n int) {
		for _, in := range ins {
			n += in.count(id)
		}
		return n
	}
	c.set(t0.Add(time.Minute + time.Second))
	for _, s := range scheds {
		s.fire()
	}
	for _, s := range scheds {
		s.workers.Wait()
	}
	for _, f := range all {
		if n := total(f.ID); n != 1 {
			t.Fatalf("tick 1: feed %s polled %d times between the processes, want once", f.ID, n)
		}
	}
	for _, in := range ins {
		for len(in.started) > 0 {
			<-in.started
		}
	}

	// Process 0 takes the next tick of f0 and stops answering mid-poll.
	ins[0].hold["f0"] = true
	c.set(t0.Add(2*time.Minute + time.Second))
	scheds[0].fire()
	for got := range ins[0].started {
		if got == "f0" {
			break
		}
	}
	for _, s := range scheds[1:] {
		s.fire()
	}
	// Once its lease runs out, another process polls f0 for that tick.
	timeout := time.After(10 * time.Second)
	for tookOver := false; !tookOver; {
		select {
		case got := <-ins[1].started:
			tookOver = got == "f0"
		case got := <-ins[2].started:
			tookOver = got == "f0"
		case <-timeout:
			t.Fatal("nobody took over the poll of a process that stopped answering")
		}
	}
	// No poll starts after this: retries still timed to fire would
	// otherwise start polls after the test, on schedulers it never started
	// and so cannot Stop.
	for _, s := range scheds {
		halt(s)
	}
	close(ins[0].release)
	for _, s := range scheds {
		s.workers.Wait()
	}
	if n := total("f0"); n != 3 {
		t.Errorf("f0 polled %d times over two ticks; want once each and once more for the takeover", n)
	}
	for _, f := range all[1:] {
		if n := total(f.ID); n != 2 {
			t.Errorf("feed %s polled %d times over two ticks, want 2", f.ID, n)
		}
	}
}

// halt makes s, fired by hand and never started, start no more polls, as
// Stop does for a started one: its retries find it stopping.
func halt(s *Scheduler) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s.mu.Lock()
	s.ctx = ctx
	s.mu.Unlock()
}

// Processes sharing the polls agree on the ticks of "@every" schedules
// whenever each started: the ticks fall on the clock.
func TestSharedEveryTicksOnTheClock(t *testing.T) {
	table := &sharedClaims{lease: time.Second, rows: map[string]*claimRow{}}
	var next []time.Time
	for i, started := range []time.Duration{17 * time.Second, 41 * time.Second} {
		c := &clock{now: t0.Add(started)}
		s := New(newFake(), Options{Log: quiet, Now: c.Now, Claims: process{table, fmt.Sprint("p", i)}})
		if err := s.Apply(feeds(1, "@every 1m", "example.com")); err != nil {
			t.Fatal(err)
		}
		next = append(next, s.NextRun("f0"))
	}
	if !next[0].Equal(next[1]) || next[0].Sub(t0) < time.Minute || next[0].Sub(t0) >= time.Minute+6*time.Second {
		t.Errorf("next runs %v and %v; want one tick, the minute after t0 plus the feed's offset", next[0].Sub(t0), next[1].Sub(t0))
	}
}
