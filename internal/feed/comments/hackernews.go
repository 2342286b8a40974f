package comments

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// DefaultHNBase is the official Hacker News API.
const DefaultHNBase = "https://hacker-news.firebaseio.com"

// hnInFlight bounds concurrent item requests, and also how far ahead of the
// walk items are fetched, so a capped walk stops within a few items of the cap.
const hnInFlight = 8

// errFull ends a walk that reached the cap.
var errFull = errors.New("cap reached")

type hnItem struct {
	ID          int64   `json:"id"`
	Type        string  `json:"type"`
	By          string  `json:"by"`
	Time        int64   `json:"time"`
	Text        string  `json:"text"`
	Parent      int64   `json:"parent"`
	Kids        []int64 `json:"kids"`
	Deleted     bool    `json:"deleted"`
	Dead        bool    `json:"dead"`
	Descendants int     `json:"descendants"`
}

// HackerNews loads the comments under item itemID (a story, poll, job or
// comment) through the official item API at base (DefaultHNBase when empty).
// It walks kids depth first in their order, at most hnInFlight requests at
// once, and stops fetching once maxComments comments (0 = DefaultMax) are listed.
// Deleted and dead items are skipped and counted, except that one with
// replies stays as a Deleted placeholder so the replies keep their parent,
// as the site shows it. Kids the API cannot return (404 or null) are
// counted in Stats.Missing. A missing root item is an error wrapping
// ErrNotFound.
func HackerNews(ctx context.Context, g Getter, base, itemID string, maxComments int) ([]news.Comment, Stats, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(itemID), 10, 64)
	if err != nil || id <= 0 {
		return nil, Stats{}, fmt.Errorf("hacker news: item id %q is not a positive number: %w", itemID, news.ErrInvalid)
	}
	if g == nil {
		return nil, Stats{}, fmt.Errorf("hacker news: item %d: %w", id, errNoGetter)
	}
	ctx, cancel := context.WithCancel(ctx)
	w := &hnWalker{
		g:    g,
		base: strings.TrimRight(cmp.Or(strings.TrimSpace(base), DefaultHNBase), "/"),
		max:  limit(maxComments),
		sem:  make(chan struct{}, hnInFlight),
		seen: map[int64]bool{id: true},
	}
	// Prefetches still running when the cap is hit are cancelled and waited
	// for: none outlives the call, holding the Getter's buffers or a slot.
	defer w.wg.Wait()
	defer cancel()
	root, err := w.fetch(ctx, id)
	if err != nil {
		return nil, Stats{}, err
	}
	if root == nil {
		return nil, Stats{}, fmt.Errorf("hacker news: item %d (%s): %w", id, w.url(id), ErrNotFound)
	}
	err = w.walk(ctx, id, root.Kids)
	if err != nil && !errors.Is(err, errFull) {
		return nil, w.stats, err
	}
	if err != nil {
		// The rest was never fetched: the story's own count is the best
		// estimate of what the cap left out.
		w.stats.Dropped = max(w.pending, root.Descendants-len(w.out))
	}
	number(w.out)
	return w.out, w.stats, nil
}

type hnWalker struct {
	g       Getter
	base    string
	max     int
	sem     chan struct{}
	seen    map[int64]bool // only the walking goroutine touches it
	out     []news.Comment
	stats   Stats
	pending int            // ids known but not fetched when the cap was hit
	wg      sync.WaitGroup // background fetches
}

type hnResult struct {
	item *hnItem
	err  error
}

type hnFuture struct {
	id int64
	ch <-chan hnResult
}

func (w *hnWalker) url(id int64) string {
	return w.base + "/v0/item/" + strconv.FormatInt(id, 10) + ".json"
}

// fetch returns the item, or nil when the API answers null. Errors name the
// item and its URL and keep ErrNotFound testable.
func (w *hnWalker) fetch(ctx context.Context, id int64) (*hnItem, error) {
	u := w.url(id)
	data, err := w.g.Get(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("hacker news: item %d (%s): %w", id, u, err)
	}
	var it *hnItem
	if err := decodeJSON(data, &it); err != nil {
		return nil, fmt.Errorf("hacker news: item %d (%s): parse: %w", id, u, err)
	}
	return it, nil
}

// start fetches an item in the background, within the in-flight limit.
func (w *hnWalker) start(ctx context.Context, id int64) hnFuture {
	ch := make(chan hnResult, 1) // buffered: an abandoned fetch never blocks
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		select {
		case w.sem <- struct{}{}:
		case <-ctx.Done():
			ch <- hnResult{err: ctx.Err()}
			return
		}
		it, err := w.fetch(ctx, id)
		<-w.sem
		ch <- hnResult{it, err}
	}()
	return hnFuture{id, ch}
}

func (w *hnWalker) full() bool { return len(w.out) >= w.max }

// walk lists the subtrees of kids in order. Up to hnInFlight siblings are
// fetched ahead while earlier ones are walked; ids already met are skipped,
// which is what stops a kids loop.
func (w *hnWalker) walk(ctx context.Context, parent int64, kids []int64) error {
	var queue []hnFuture
	next := 0
	for {
		for len(queue) < hnInFlight && next < len(kids) && !w.full() {
			id := kids[next]
			next++
			if id > 0 && !w.seen[id] {
				w.seen[id] = true
				queue = append(queue, w.start(ctx, id))
			}
		}
		if w.full() {
			w.pending += len(queue) + len(kids) - next
			return errFull
		}
		if len(queue) == 0 {
			return nil
		}
		f := queue[0]
		queue = queue[1:]
		r := <-f.ch
		if err := w.take(ctx, parent, f.id, r); err != nil {
			w.pending += len(queue) + len(kids) - next
			return err
		}
	}
}

// take lists one fetched item and walks its replies.
func (w *hnWalker) take(ctx context.Context, parent, id int64, r hnResult) error {
	if errors.Is(r.err, ErrNotFound) || (r.err == nil && r.item == nil) {
		w.stats.Missing++
		return nil
	}
	if r.err != nil {
		return r.err
	}
	it := r.item
	w.stats.Fetched++
	gone := it.Deleted || it.Dead
	if (gone && len(it.Kids) == 0) || (it.Type != "" && it.Type != "comment") {
		w.stats.Skipped++
		return nil
	}
	c := news.Comment{
		ExternalID: strconv.FormatInt(id, 10),
		ParentID:   strconv.FormatInt(cmp.Or(it.Parent, parent), 10),
		Deleted:    gone,
	}
	if it.Time > 0 {
		c.PostedAt = time.Unix(it.Time, 0).UTC()
	}
	if !gone {
		c.Author = it.By
		c.Body = htmlText(it.Text)
	}
	w.out = append(w.out, c)
	return w.walk(ctx, id, it.Kids)
}

// HNItemID returns the item id in a Hacker News discussion URL
// (news.ycombinator.com/item?id=N, with or without scheme).
func HNItemID(rawURL string) (string, bool) {
	u, ok := parseLooseURL(rawURL)
	if !ok || !strings.EqualFold(u.Hostname(), "news.ycombinator.com") || strings.TrimSuffix(u.Path, "/") != "/item" {
		return "", false
	}
	id := u.Query().Get("id")
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return "", false
	}
	return strconv.FormatInt(n, 10), true
}

// parseLooseURL parses an absolute URL, adding https:// when a pasted link
// has no scheme.
func parseLooseURL(raw string) (*url.URL, bool) {
	raw = strings.TrimSpace(raw)
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, false
	}
	return u, true
}
