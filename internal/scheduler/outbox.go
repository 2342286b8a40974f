package scheduler

import (
	"context"
	"time"
)

// deliveryTimeout bounds one delivery, including one that must finish
// after shutdown began.
const deliveryTimeout = 30 * time.Second

// drain sends pending deliveries oldest first until ctx ends. A delivery
// already started when ctx ends is finished, not abandoned: abandoning it
// between send and record is exactly the case the nonce must then repair.
func (s *Scheduler) drain(ctx context.Context) {
	if s.opts.Deliverer == nil {
		return
	}
	idle := time.NewTimer(0)
	defer idle.Stop()
	for {
		full, progress := s.drainOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if full && progress {
			continue
		}
		idle.Reset(s.opts.Idle)
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		case <-idle.C:
		}
	}
}

const drainBatch = 50

// drainOnce sends one batch. It reports whether the batch was full, so
// more may be waiting, and whether any delivery went out: a batch where
// every one failed (Discord down, the disk full) waits before the next, so
// the loop never spins.
func (s *Scheduler) drainOnce(ctx context.Context) (full, progress bool) {
	ds, err := s.poller.Store.PendingDeliveries(ctx, s.poller.now(), drainBatch)
	if err != nil {
		if ctx.Err() == nil {
			s.opts.Log.Error("read outbox", "err", err)
		}
		return false, false
	}
	held := map[string]bool{} // channels whose earlier delivery just failed
	for _, d := range ds {
		if ctx.Err() != nil {
			return false, progress
		}
		if held[d.ChannelID] {
			continue // keeps the channel's order: it waits for the failed one
		}
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), deliveryTimeout)
		if err := s.opts.Deliverer.Deliver(dctx, d); err != nil {
			s.opts.Log.Warn("delivery not sent", "delivery", d.ID, "kind", d.Kind, "channel", d.ChannelID, "err", err)
			held[d.ChannelID] = true
		} else {
			progress = true
		}
		cancel()
	}
	return len(ds) == drainBatch, progress
}
