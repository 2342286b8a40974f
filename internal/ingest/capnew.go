package ingest

import (
	"context"
	"time"

	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/news"
)

// A feed's max_new_per_poll caps the new stories one poll stores. When a
// document lists more, the poll takes the newest and skips the older ones:
// they are neither stored nor posted, now or later, and the channels are
// told once. Skipping, not deferring, is the point of the cap: storing the
// rest over the next polls would still add every item a hostile feed
// lists, re-reading and re-matching the whole document each time, and
// posting them later would bury the channel in old stories, out of order.
// An admin whose feed really publishes that much raises the cap.
//
// The skipped items stay in the document, unseen, and a later poll must
// not take them as new. So a cut opens an episode (FeedState.CappedSince):
// while it lasts, an unseen item older than the newest stored one of the
// document is one the cap skipped, and is skipped again. The episode ends
// with the first document that has no such item and no cut, and the next
// cut is a new episode with a notice of its own. Skipped items are skipped
// on purpose, so the validators stay: a 304 hides nothing owed.

// cut is what the cap makes of one document.
type cut struct {
	skip    []bool // by article index: left out of this poll
	fresh   int    // unseen items newer than every stored one of the document
	cut     int    // fresh items the cap left out
	backlog int    // older unseen items, left out while an episode lasts
}

// decideCut applies the cap (0: none) to a document whose articles are
// unseen (no stored story matches them) or not, in order from oldest to
// newest. Within an episode, unseen items older than the newest known one
// are the backlog of an earlier cut.
func decideCut(unseen []bool, order []int, limit int, episode bool) cut {
	c := cut{skip: make([]bool, len(unseen))}
	newestKnown := -1 // rank in order
	for rank, i := range order {
		if !unseen[i] {
			newestKnown = rank
		}
	}
	kept := 0
	for rank := len(order) - 1; rank >= 0; rank-- { // newest first
		i := order[rank]
		switch {
		case !unseen[i]:
		case episode && rank < newestKnown:
			c.backlog++
			c.skip[i] = true
		case limit <= 0 || kept < limit:
			c.fresh++
			kept++
		default:
			c.fresh++
			c.cut++
			c.skip[i] = true
		}
	}
	return c
}

// capNew decides which articles this poll leaves out under the feed's cap
// (nil: none), keeps the episode in the feed's state and, when a cut opens
// one, queues the notice to the feed's channels ahead of the stories, so
// the burst that follows is explained before it arrives. Items a cut
// skipped stay skipped while the feed lists them, even if the cap was
// raised or turned off since: the notice said they would not be posted.
func (p *Poller) capNew(ctx context.Context, f config.Feed, snap *snapshot, articles []news.Article, order []int, now time.Time) ([]bool, error) {
	st := &snap.state
	episode := !st.CappedSince.IsZero()
	limit := f.MaxNewPerPoll
	if !episode && (limit <= 0 || len(articles) <= limit) {
		return nil, nil // nothing can be cut: the store need not be asked
	}
	unseen, err := p.Store.Unseen(ctx, f.ID, articles)
	if err != nil {
		return nil, err
	}
	c := decideCut(unseen, order, limit, episode)
	switch {
	case c.cut > 0 && !episode:
		p.log().Warn("feed listed more new items than max_new_per_poll; the older ones are skipped",
			"feed", f.ID, "new", c.fresh, "kept", c.fresh-c.cut, "skipped", c.cut)
		n := news.Notice{Kind: news.NoticeCapped, Since: now, NewItems: c.fresh, Kept: c.fresh - c.cut}
		if err := p.notify(ctx, f, n, now); err != nil {
			return nil, err
		}
		st.CappedSince = now
	case c.cut > 0:
		p.log().Warn("feed still lists more new items than max_new_per_poll; the older ones are skipped",
			"feed", f.ID, "new", c.fresh, "kept", c.fresh-c.cut, "skipped", c.cut+c.backlog, "since", st.CappedSince)
	case c.backlog > 0:
		p.log().Debug("feed still lists items max_new_per_poll skipped", "feed", f.ID, "skipped", c.backlog)
	case episode:
		p.log().Info("feed no longer lists items max_new_per_poll skipped", "feed", f.ID, "since", st.CappedSince)
		st.CappedSince = time.Time{}
	}
	if c.cut+c.backlog == 0 {
		return nil, nil
	}
	return c.skip, nil
}
