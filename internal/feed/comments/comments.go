// Package comments loads a story's reader comment thread from where readers
// actually talk — Hacker News, Reddit, RSS/Atom comment feeds, WordPress and
// Disqus exports — into []news.Comment with the real reply structure.
//
// Every source ends the same way: comments in page order (a comment's replies
// follow it, depth first), Index 1..n, ReplyTo naming the Index of the parent
// when the parent is in the list and 0 otherwise, Depth from that structure,
// and at most a capped number of comments. Network sources take a Getter so
// the caller plugs in its own fetcher (SSRF guard, size caps, conditional GET).
package comments

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// DefaultMax is the cap used when a caller passes maxComments <= 0.
const DefaultMax = 10000

// ErrNotFound is what a Getter wraps for a 404 (or 410), and what the loaders
// wrap when the thread itself does not exist. It is news.ErrNotFound, so
// callers can test for either.
var ErrNotFound = news.ErrNotFound

// Getter fetches one URL and returns the body of a successful response. For
// a 404 it returns an error wrapping ErrNotFound. HackerNews calls it from
// several goroutines at once.
type Getter interface {
	Get(ctx context.Context, url string) ([]byte, error)
}

// GetterFunc adapts a function to Getter.
type GetterFunc func(ctx context.Context, url string) ([]byte, error)

// Get calls f.
func (f GetterFunc) Get(ctx context.Context, url string) ([]byte, error) { return f(ctx, url) }

// Stats says what loading a thread met beyond the comments returned.
type Stats struct {
	Fetched int // comments read from the source, before skipping and capping
	Skipped int // deleted, dead, spam, unapproved or non-comment items left out
	Missing int // items the source listed but could not return (404 or null)
	More    int // comments the source only counted (Reddit "more" stubs)
	Dropped int // comments beyond the cap; for Hacker News an estimate, as the rest is never fetched
	// Unfetched counts replies a document names only by id (a Hacker News
	// item's kids): they exist, but the document does not hold them.
	Unfetched int
}

// Thread is one discussion from an export, to be matched to a stored story
// by URL.
type Thread struct {
	URL      string
	Title    string
	Comments []news.Comment
	Stats    Stats
}

// limit turns a caller's maxComments into the cap actually applied.
func limit(maxComments int) int {
	if maxComments <= 0 {
		return DefaultMax
	}
	return maxComments
}

// capList keeps the first maxComments comments. Page order puts every parent before
// its replies, so the kept prefix never loses a kept comment's parent.
func capList(cs []news.Comment, maxComments int, st *Stats) []news.Comment {
	n := limit(maxComments)
	if len(cs) <= n {
		return cs
	}
	st.Dropped += len(cs) - n
	return slices.Clone(cs[:n]) // let the rest be collected
}

var errNoGetter = errors.New("no Getter to fetch with")

// decodeJSON unmarshals data leniently: a field of an unexpected type is left
// at its zero value instead of failing the whole thread, while syntax errors
// (truncated or garbled documents) still fail.
func decodeJSON(data []byte, v any) error {
	err := json.Unmarshal(data, v)
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return nil
	}
	return err
}
