package store

import (
	"context"
	"fmt"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// Unseen reports which of a feed's articles no stored story is a copy of:
// the ones a save would file as new stories. It writes nothing. Each
// article is matched as a save matches it (GUID, canonical URL, then
// content), but without the others of the list: two copies of one unseen
// story are both unseen. An article a save would refuse (no title, URL,
// GUID or text) is not unseen: it would never become a story.
//
// It runs in a write transaction because the content index catches up
// with the database inside one (as a save's does); a feed's poll would
// hold the writer for its save next anyway.
func (db *DB) Unseen(ctx context.Context, feedID string, as []news.Article) ([]bool, error) {
	out := make([]bool, len(as))
	var ins []*incoming
	var at []int // index in as of each incoming
	for i, a := range as {
		if validateArticle(a) == nil {
			ins, at = append(ins, prepare(a, feedID)), append(at, i)
		}
	}
	if len(ins) == 0 {
		return out, nil
	}
	err := db.writeTxn(ctx, func(t *txn) error {
		v, err := loadView(ctx, t, ins, feedID)
		if err != nil {
			return fmt.Errorf("read the stories the articles may belong to: %w", err)
		}
		for j, in := range ins {
			cur, err := findStory(ctx, t, v, in, feedID)
			if err != nil {
				return fmt.Errorf("article %d of %d (%q): %w", at[j]+1, len(as), short(articleLabel(in.a)), err)
			}
			out[at[j]] = cur == nil
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: which of %d articles of feed %q are new: %w", len(as), feedID, err)
	}
	return out, nil
}
