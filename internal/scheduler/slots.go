package scheduler

import "time"

// slots decides which due polls run now: at most max at once, at most
// perHost per host, and fast feeds first. A feed whose last poll was slow
// waits in the slow lane, which may take at most three quarters of the
// slots overall and one less than perHost on its host, so slow sites
// never hold up fast ones. Waiting costs a queue entry, not a goroutine.
type slots struct {
	max, perHost         int
	maxSlow, perHostSlow int
	running              [lanes]int
	ready                [lanes][]waiting // their host's slot is taken; waiting for an overall one
	hosts                map[string]*host
}

// A lane is fast or slow.
const (
	fast = iota
	slow
	lanes
)

// waiting is a due poll; the lane and host are fixed when it comes due.
type waiting struct {
	job  *job
	host string
	slow bool
	tick time.Time // the schedule time it is due for, which Claims claim
	// again marks a poll asked again at the end of another process's
	// lease: it is overdue, maybe a dead process's, and goes first in
	// its line rather than behind a whole tick's polls.
	again bool
}

func (w waiting) lane() int {
	if w.slow {
		return slow
	}
	return fast
}

// host counts one host's polls that are running or ready, by lane, and
// queues those its cap holds back.
type host struct {
	taken   [lanes]int
	blocked [lanes][]waiting
}

func newSlots(most, perHost int) slots {
	return slots{
		max: most, perHost: perHost,
		maxSlow: max(most-most/4, 1), perHostSlow: max(perHost-1, 1),
		hosts: map[string]*host{},
	}
}

// add takes in a due poll: ready when its host has room, else blocked.
func (s *slots) add(w waiting) {
	h := s.hosts[w.host]
	if h == nil {
		h = &host{}
		s.hosts[w.host] = h
	}
	if s.room(h, w.lane()) {
		h.taken[w.lane()]++
		s.ready[w.lane()] = enqueue(s.ready[w.lane()], w)
		return
	}
	h.blocked[w.lane()] = enqueue(h.blocked[w.lane()], w)
}

// enqueue puts w at the end of line, or at its front when asked again.
func enqueue(line []waiting, w waiting) []waiting {
	if w.again {
		return append([]waiting{w}, line...)
	}
	return append(line, w)
}

func (s *slots) room(h *host, lane int) bool {
	if h.taken[fast]+h.taken[slow] >= s.perHost {
		return false
	}
	return lane == fast || h.taken[slow] < s.perHostSlow
}

// next returns a ready poll to start when an overall slot is free for it,
// fast ones first, and counts it running.
func (s *slots) next() (waiting, bool) {
	if s.running[fast]+s.running[slow] >= s.max {
		return waiting{}, false
	}
	lane := fast
	if len(s.ready[fast]) == 0 {
		if len(s.ready[slow]) == 0 || s.running[slow] >= s.maxSlow {
			return waiting{}, false
		}
		lane = slow
	}
	w := s.ready[lane][0]
	s.ready[lane][0] = waiting{}
	s.ready[lane] = s.ready[lane][1:]
	s.running[lane]++
	return w, true
}

// finish frees w's slots and readies what its host held back.
func (s *slots) finish(w waiting) {
	s.running[w.lane()]--
	h := s.hosts[w.host]
	h.taken[w.lane()]--
	for _, lane := range []int{fast, slow} {
		for len(h.blocked[lane]) > 0 && s.room(h, lane) {
			b := h.blocked[lane][0]
			h.blocked[lane][0] = waiting{}
			h.blocked[lane] = h.blocked[lane][1:]
			h.taken[lane]++
			s.ready[lane] = append(s.ready[lane], b)
		}
	}
	if h.taken == [lanes]int{} && len(h.blocked[fast])+len(h.blocked[slow]) == 0 {
		delete(s.hosts, w.host)
	}
}

// drop empties every queue and returns what waited; the running polls
// keep their slots until they finish.
func (s *slots) drop() []waiting {
	var out []waiting
	for lane := range s.ready {
		for _, w := range s.ready[lane] {
			s.hosts[w.host].taken[lane]--
		}
		out = append(out, s.ready[lane]...)
		s.ready[lane] = nil
	}
	for _, h := range s.hosts {
		for lane := range h.blocked {
			out = append(out, h.blocked[lane]...)
			h.blocked[lane] = nil
		}
	}
	return out
}
