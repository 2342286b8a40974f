package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The full-text indexes (stories_fts for search, titles_fts for
// autocomplete, comments_fts for comment search) are SQLite FTS5 tables
// kept by the store rather than by triggers. FTS5 writes its pending terms
// to disk at every statement savepoint, and a statement that fires a
// trigger takes one: with triggers, every save flushed a one-row segment
// and FTS5 then spent its time merging them. Here a transaction queues its
// changes and applies them once, at the end, in ascending rowid order,
// which FTS5 accumulates in memory and writes as one segment. PostgreSQL
// keeps tsvector and trigram columns from the same queue (pgsearch.go).

// ftsDoc is what one row of an index holds.
type ftsDoc struct {
	a, b string // title and text; author and body
}

// ftsChange is one row's change within a transaction: whether it was
// indexed before the transaction, and what it should hold after (nil:
// nothing).
type ftsChange struct {
	indexed bool
	doc     *ftsDoc
}

// ftsQueue collects a transaction's index changes.
type ftsQueue struct {
	stories  map[int64]*ftsChange
	comments map[int64]*ftsChange
}

func newFTSQueue() *ftsQueue {
	return &ftsQueue{stories: map[int64]*ftsChange{}, comments: map[int64]*ftsChange{}}
}

// queueChange records that a row should hold doc (nil: be absent) at commit;
// indexed says whether it is in the index now, and counts only the first
// time a row is named in the transaction.
func queueChange(m map[int64]*ftsChange, id int64, indexed bool, doc *ftsDoc) {
	if c, ok := m[id]; ok {
		c.doc = doc
		return
	}
	m[id] = &ftsChange{indexed: indexed, doc: doc}
}

// story queues a live story's title and latest text for search and
// autocomplete; indexed says whether it is already in the indexes.
func (q *ftsQueue) story(id int64, indexed bool, title, text string) {
	queueChange(q.stories, id, indexed, &ftsDoc{a: title, b: text})
}

// removeStory takes an indexed story out of search and autocomplete.
func (q *ftsQueue) removeStory(id int64) {
	queueChange(q.stories, id, true, nil)
}

// comment queues a comment's author and text for comment search.
func (q *ftsQueue) comment(id int64, indexed bool, author, body string) {
	queueChange(q.comments, id, indexed, &ftsDoc{a: author, b: body})
}

const (
	ftsDeleteStory   = "DELETE FROM stories_fts WHERE rowid = ?"
	ftsInsertStory   = "INSERT INTO stories_fts (rowid, title, text) VALUES (?, ?, ?)"
	ftsDeleteTitle   = "DELETE FROM titles_fts WHERE rowid = ?"
	ftsInsertTitle   = "INSERT INTO titles_fts (rowid, title) VALUES (?, ?)"
	ftsDeleteComment = "DELETE FROM comments_fts WHERE rowid = ?"
	ftsInsertComment = "INSERT INTO comments_fts (rowid, author, body) VALUES (?, ?, ?)"
)

// searchEngine is an engine's full-text search: it keeps the indexes from
// a transaction's queued changes, and says how to query them. Each query
// is given the words typed (typedWords), never query syntax.
type searchEngine interface {
	apply(ctx context.Context, t *txn, q *ftsQueue) error
	// stories selects storyColumns of live stories holding every word,
	// best match first.
	stories(words []string, limit int) (string, []any)
	// suggest selects storyColumns of live stories whose titles hold
	// every word (titleMatch), newest first.
	suggest(words []string, limit int) (string, []any)
	// comments is a condition on comments: among the limit best matches
	// of every word in author or text.
	comments(words []string, limit int) (string, []any)
}

// ftsSearch is SQLite's search: FTS5 tables.
type ftsSearch struct{}

func (ftsSearch) stories(words []string, limit int) (string, []any) {
	return "SELECT " + storyColumns + ` FROM stories_fts f JOIN stories s ON s.id = f.rowid
		WHERE stories_fts MATCH ? ORDER BY f.rank LIMIT ?`, []any{ftsTerms(words), limit}
}

// suggest orders by the FTS rowid, which lets SQLite stop after limit
// matches instead of collecting and sorting every story with a common
// word.
func (ftsSearch) suggest(words []string, limit int) (string, []any) {
	return "SELECT " + storyColumns + ` FROM stories s WHERE s.id IN
		(SELECT rowid FROM titles_fts WHERE titles_fts MATCH ? ORDER BY rowid DESC LIMIT ?)
		ORDER BY s.id DESC`, []any{titleMatch(words), limit}
}

func (ftsSearch) comments(words []string, limit int) (string, []any) {
	return `deleted = 0 AND id IN (SELECT rowid FROM comments_fts
		WHERE comments_fts MATCH ? ORDER BY rank LIMIT ?)`, []any{ftsTerms(words), limit}
}

// apply writes the queued changes, each index in ascending rowid order.
// Single-row statements without triggers take no savepoint, so nothing is
// flushed before the commit.
func (ftsSearch) apply(ctx context.Context, t *txn, q *ftsQueue) error {
	err := applyIndex(ctx, t, q.stories, func(id int64, d *ftsDoc) error {
		if _, err := t.ExecContext(ctx, ftsInsertStory, id, d.a, d.b); err != nil {
			return err
		}
		_, err := t.ExecContext(ctx, ftsInsertTitle, id, titleText(d.a))
		return err
	}, ftsDeleteStory, ftsDeleteTitle)
	if err != nil {
		return fmt.Errorf("search index of stories: %w", err)
	}
	err = applyIndex(ctx, t, q.comments, func(id int64, d *ftsDoc) error {
		_, err := t.ExecContext(ctx, ftsInsertComment, id, d.a, d.b)
		return err
	}, ftsDeleteComment)
	if err != nil {
		return fmt.Errorf("search index of comments: %w", err)
	}
	return nil
}

func applyIndex(ctx context.Context, t *txn, m map[int64]*ftsChange, insert func(int64, *ftsDoc) error, deletes ...string) error {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		c := m[id]
		if c.indexed {
			for _, del := range deletes {
				if _, err := t.ExecContext(ctx, del, id); err != nil {
					return fmt.Errorf("row %d: %w", id, err)
				}
			}
		}
		if c.doc != nil {
			if err := insert(id, c.doc); err != nil {
				return fmt.Errorf("row %d: %w", id, err)
			}
		}
	}
	return nil
}

// wordStart marks where a word starts in titles_fts. Trigrams need three
// characters, so a word typed as one or two letters could not be looked
// up; each title word is indexed as " ⟨m⟩⟨m⟩word", whose trigrams
// "⟨m⟩⟨m⟩w" and "⟨m⟩wo" are the word's first letter and first two letters
// at a word start. (U+E000 is a private-use character: text as typed never
// holds it, since typedWords keeps letters and digits only.)
const wordStart = "\uE000"

// titleText is a title as titles_fts indexes it.
func titleText(title string) string {
	var b strings.Builder
	for _, w := range typedWords(title, -1) {
		b.WriteString(" " + wordStart + wordStart)
		b.WriteString(w)
	}
	return b.String()
}

// titleMatch is a titles_fts query for titles holding every word typed: a
// word of three letters or more anywhere, even inside a word ("bridge"
// finds "Footbridge"); a shorter one at a word start.
func titleMatch(words []string) string {
	terms := make([]string, len(words))
	for i, w := range words {
		switch utf8.RuneCountInString(w) {
		case 1:
			w = wordStart + wordStart + w
		case 2:
			w = wordStart + w
		}
		terms[i] = `"` + w + `"` // words hold no quote: see typedWords
	}
	return strings.Join(terms, " ")
}

// typedWords splits text into its words (letters, digits and combining
// marks), at most max of them (-1: all).
func typedWords(text string, max int) []string {
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
	if max >= 0 && len(words) > max {
		words = words[:max]
	}
	return words
}
