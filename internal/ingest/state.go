package ingest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/news"
)

// memory is what ingest remembers of every feed between polls, read from
// the store in bulk at start and written back when it changes, so that a
// poll answered 304 reads and writes nothing.
type memory struct {
	mu        sync.Mutex
	loaded    bool
	feeds     map[string]*remembered
	lastFlush time.Time
}

type remembered struct {
	state  news.FeedState
	stored news.FeedState // as last written; the zero state when never
	// subs is replaced, never changed in place, so a poll can hold it
	// without a copy.
	subs   map[string]news.Subscription
	subGen int // bumped when the subscriptions are read again from the store
}

// Load reads every feed's state and subscriptions from the store, and
// gives channels Discord refused before another chance (see HealBroken).
// Poll loads on first use when Load was not called.
func (p *Poller) Load(ctx context.Context) error {
	states, err := p.Store.FeedStates(ctx)
	if err != nil {
		return err
	}
	m := &p.mem
	m.mu.Lock()
	if m.feeds == nil {
		m.feeds = map[string]*remembered{}
	}
	for id, st := range states {
		r := m.feed(id)
		r.state, r.stored = st, st
	}
	m.loaded = true
	m.lastFlush = p.now()
	m.mu.Unlock()
	return p.HealBroken(ctx)
}

// HealBroken reads every subscription from the store and gives each
// channel marked broken another chance: the mark is cleared and the
// channel counts as new to its feed, so its next poll posts no more than
// the backfill instead of everything missed. It runs at start and on each
// config reload: an admin who fixed the bot's permissions restarts it (or
// touches the config) and expects posts to flow again.
func (p *Poller) HealBroken(ctx context.Context) error {
	subs, err := p.Store.AllSubscriptions(ctx)
	if err != nil {
		return err
	}
	byFeed := map[string]map[string]news.Subscription{}
	for _, sub := range subs {
		if sub.Broken != "" {
			p.log().Info("retrying a channel that refused posts before", "feed", sub.FeedID, "channel", sub.ChannelID, "was", sub.Broken)
			if err := p.Store.HealSubscription(ctx, sub.FeedID, sub.ChannelID); err != nil {
				return err
			}
			sub.Broken, sub.Seeded = "", false
		}
		if byFeed[sub.FeedID] == nil {
			byFeed[sub.FeedID] = map[string]news.Subscription{}
		}
		byFeed[sub.FeedID][sub.ChannelID] = sub
	}
	m := &p.mem
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.feeds == nil {
		m.feeds = map[string]*remembered{}
	}
	for id, r := range m.feeds {
		if byFeed[id] == nil {
			r.subs, r.subGen = map[string]news.Subscription{}, r.subGen+1
		}
	}
	for id, subs := range byFeed {
		r := m.feed(id)
		r.subs, r.subGen = subs, r.subGen+1
	}
	return nil
}

// feed is id's record, created empty. The caller holds mu.
func (m *memory) feed(id string) *remembered {
	r := m.feeds[id]
	if r == nil {
		r = &remembered{state: news.FeedState{FeedID: id}, subs: map[string]news.Subscription{}}
		m.feeds[id] = r
	}
	return r
}

// State is what ingest knows of a feed's polling now, which the store
// catches up with when something other than the poll times changes.
func (p *Poller) State(ctx context.Context, feedID string) (news.FeedState, error) {
	if err := p.ensureLoaded(ctx); err != nil {
		return news.FeedState{}, err
	}
	p.mem.mu.Lock()
	defer p.mem.mu.Unlock()
	if r := p.mem.feeds[feedID]; r != nil {
		return r.state, nil
	}
	return news.FeedState{FeedID: feedID}, nil
}

func (p *Poller) ensureLoaded(ctx context.Context) error {
	p.mem.mu.Lock()
	loaded := p.mem.loaded
	p.mem.mu.Unlock()
	if loaded {
		return nil
	}
	p.loadOnce.Do(func() { p.loadErr = p.Load(ctx) })
	return p.loadErr
}

// snapshot is one feed's state and subscriptions as a poll starts. Its
// subs are shared with memory: a poll that changes them makes its own
// copy first (setSub, deleteSub).
type snapshot struct {
	state  news.FeedState
	subs   map[string]news.Subscription
	subGen int
	owned  bool // subs is this poll's own copy
}

func (p *Poller) snapshot(feedID string) snapshot {
	p.mem.mu.Lock()
	defer p.mem.mu.Unlock()
	r := p.mem.feed(feedID)
	return snapshot{state: r.state, subs: r.subs, subGen: r.subGen}
}

func (s *snapshot) own() {
	if !s.owned {
		s.subs, s.owned = maps.Clone(s.subs), true
		if s.subs == nil {
			s.subs = map[string]news.Subscription{}
		}
	}
}

func (s *snapshot) setSub(sub news.Subscription) {
	s.own()
	s.subs[sub.ChannelID] = sub
}

func (s *snapshot) deleteSub(channelID string) {
	s.own()
	delete(s.subs, channelID)
}

// remember keeps what a poll ended with. The feed's state is written to
// the store when it changed in more than its poll times; those are kept in
// memory and written in bulk by Flush. Subscriptions the store was read
// for meanwhile (HealBroken) are not overwritten.
func (p *Poller) remember(ctx context.Context, snap snapshot) error {
	p.mem.mu.Lock()
	r := p.mem.feed(snap.state.FeedID)
	r.state = snap.state
	if r.subGen == snap.subGen {
		r.subs = snap.subs
	}
	write := p.Shared || !sameBesidesTimes(r.stored, r.state)
	p.mem.mu.Unlock()
	if !write {
		return nil
	}
	if err := p.Store.PutFeedState(ctx, snap.state); err != nil {
		return err
	}
	p.mem.mu.Lock()
	r.stored = snap.state
	p.mem.mu.Unlock()
	return nil
}

// sameBesidesTimes reports whether two states differ at most in when the
// feed was last polled and last succeeded.
func sameBesidesTimes(a, b news.FeedState) bool {
	a.LastPoll, a.LastSuccess = b.LastPoll, b.LastSuccess
	return a == b
}

// flushEvery is how often the poll times kept in memory are written.
const flushEvery = 10 * time.Minute

// flushIfDue writes the poll times kept in memory when they have waited
// flushEvery, from whichever poll notices first.
func (p *Poller) flushIfDue(ctx context.Context) {
	p.mem.mu.Lock()
	due := p.now().Sub(p.mem.lastFlush) >= flushEvery
	p.mem.mu.Unlock()
	if !due || !p.flushing.TryLock() {
		return
	}
	defer p.flushing.Unlock()
	if err := p.Flush(ctx); err != nil && ctx.Err() == nil {
		p.log().Warn("feed poll times not written", "err", err)
	}
}

// Flush writes every feed's state that the store is behind on, in one
// transaction. The bot calls it when it stops. A shared store is never
// behind: every poll wrote its state, and what this process remembers of
// a feed another process polled since is older than the store's.
func (p *Poller) Flush(ctx context.Context) error {
	if p.Shared {
		return nil
	}
	p.mem.mu.Lock()
	var behind []news.FeedState
	for _, r := range p.mem.feeds {
		if r.state != r.stored {
			behind = append(behind, r.state)
		}
	}
	p.mem.lastFlush = p.now()
	p.mem.mu.Unlock()
	if len(behind) == 0 {
		return nil
	}
	if err := p.Store.PutFeedStates(ctx, behind); err != nil {
		return err
	}
	p.mem.mu.Lock()
	defer p.mem.mu.Unlock()
	for _, st := range behind {
		if r := p.mem.feeds[st.FeedID]; r != nil {
			r.stored = st
		}
	}
	return nil
}

// subscriptions brings the feed's subscriptions in line with its channels:
// a channel new to it is subscribed, and one that left is forgotten, so if
// it comes back it is new to the feed and gets the backfill, not everything
// it missed. Only a change is written.
func (p *Poller) subscriptions(ctx context.Context, f config.Feed, snap *snapshot, now time.Time) error {
	for _, ch := range f.Channels {
		if _, ok := snap.subs[ch]; ok {
			continue
		}
		sub, _, err := p.Store.EnsureSubscription(ctx, f.ID, ch, now)
		if err != nil {
			return err
		}
		snap.setSub(sub)
	}
	for ch := range snap.subs {
		if slices.Contains(f.Channels, ch) {
			continue
		}
		if err := p.Store.DeleteSubscription(ctx, f.ID, ch); err != nil {
			return err
		}
		snap.deleteSub(ch)
	}
	return nil
}

// reloadSubscriptions reads the feed's subscriptions again before its
// stories are saved: the outbox marks a channel broken in the store when
// Discord refuses it, and such a channel must neither get nor forfeit the
// stories.
func (p *Poller) reloadSubscriptions(ctx context.Context, f config.Feed, snap *snapshot) error {
	subs, err := p.Store.Subscriptions(ctx, f.ID)
	if err != nil {
		return fmt.Errorf("feed %s: %w", f.ID, err)
	}
	fresh := map[string]news.Subscription{}
	for _, s := range subs {
		fresh[s.ChannelID] = s
	}
	snap.subs, snap.owned = fresh, true
	return nil
}

// catchUp reads a feed's state and subscriptions from the store into
// memory, for a poll in a store other processes poll too: the last poll
// of the feed may have been theirs.
func (p *Poller) catchUp(ctx context.Context, feedID string) error {
	st, err := p.Store.FeedState(ctx, feedID)
	if err != nil {
		return err
	}
	subs, err := p.Store.Subscriptions(ctx, feedID)
	if err != nil {
		return err
	}
	fresh := map[string]news.Subscription{}
	for _, s := range subs {
		fresh[s.ChannelID] = s
	}
	p.mem.mu.Lock()
	defer p.mem.mu.Unlock()
	r := p.mem.feed(feedID)
	r.state, r.stored = st, st
	r.subs, r.subGen = fresh, r.subGen+1
	return nil
}
