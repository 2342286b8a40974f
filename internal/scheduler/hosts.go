package scheduler

import (
	"context"
	"sync"
)

// hostLimiter caps concurrent polls per host, so a hundred feeds from one
// site never hit it all at once.
type hostLimiter struct {
	per   int
	mu    sync.Mutex
	slots map[string]chan struct{}
}

func newHostLimiter(per int) *hostLimiter {
	if per <= 0 {
		per = 2
	}
	return &hostLimiter{per: per, slots: map[string]chan struct{}{}}
}

// acquire waits for a slot for host and returns its release.
func (h *hostLimiter) acquire(ctx context.Context, host string) (func(), error) {
	h.mu.Lock()
	ch, ok := h.slots[host]
	if !ok {
		ch = make(chan struct{}, h.per)
		h.slots[host] = ch
	}
	h.mu.Unlock()
	select {
	case ch <- struct{}{}: // a free slot is taken even when ctx is ending
		return func() { <-ch }, nil
	default:
	}
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
