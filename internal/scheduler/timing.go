package scheduler

import (
	"container/heap"
	"hash/fnv"
	"time"

	"github.com/robfig/cron/v3"
)

// maxAutoJitter caps the default jitter window: a daily schedule is
// spread over five minutes, not two hours.
const maxAutoJitter = 5 * time.Minute

// schedule puts j's first run after from on the heap. The caller holds mu.
func (s *Scheduler) schedule(j *job, from time.Time) {
	j.gen++
	tick := s.nextTick(j.sched, from)
	if tick.IsZero() {
		j.next = time.Time{} // never fires again
		return
	}
	j.next = tick.Add(s.offset(j.feed.ID, s.nextTick(j.sched, tick).Sub(tick)))
	heap.Push(&s.due, dueEntry{at: j.next, atNano: j.next.UnixNano(), tick: tick, job: j, gen: j.gen})
}

// nextTick is sched's first tick after from. Processes sharing the polls
// (Claims) must agree on the ticks they claim: "@every 10m" then ticks on
// multiples of ten minutes of the clock, not ten minutes after each
// process started. Cron specs tick on the clock already.
func (s *Scheduler) nextTick(sched cron.Schedule, from time.Time) time.Time {
	if d, ok := sched.(cron.ConstantDelaySchedule); ok && s.opts.Claims != nil {
		return from.Truncate(d.Delay).Add(d.Delay)
	}
	return sched.Next(from)
}

// offset is the feed's place in its schedule's jitter window: fixed for
// the feed, so a thousand feeds on */10 neither fire in the same second
// nor drift from run to run, and always shorter than period, so a feed
// never slides into its next tick.
func (s *Scheduler) offset(feedID string, period time.Duration) time.Duration {
	window := s.opts.Jitter
	if window <= 0 {
		window = min(period/10, maxAutoJitter)
	}
	window = min(window, period)
	if window <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(feedID))
	return time.Duration(h.Sum64() % uint64(window))
}

// dueEntry is one next run on the heap.
type dueEntry struct {
	at     time.Time // the tick plus the feed's jitter
	atNano int64     // at, to order the heap cheaply
	tick   time.Time // when the schedule fires; the next run is computed from it
	job    *job
	gen    int // stale unless it is the job's current gen
}

// dueHeap orders next runs, soonest first.
type dueHeap []dueEntry

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].atNano < h[j].atNano }
func (h dueHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)        { *h = append(*h, x.(dueEntry)) }
func (h *dueHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = dueEntry{}
	*h = old[:len(old)-1]
	return e
}
