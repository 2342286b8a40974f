package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// pgSearch is PostgreSQL's search: story_search holds each live story's
// words as a tsvector (GIN) and its title, folded, for pg_trgm (GIN) and
// with each word's first letters (GIN) for what is typed; comment_search
// holds each comment's words. The text is split into words and folded
// (lower case, no diacritics) here, the way FTS5's unicode61 tokenizer
// reads it on SQLite, and handed to the 'simple' configuration, which
// then has nothing left to split or stem: both engines find the same
// stories for the same words.
type pgSearch struct{}

const (
	pgSaveStory = `INSERT INTO story_search (story_id, doc, title, title_starts)
		VALUES (?, to_tsvector('simple', ?), ?, ?)
		ON CONFLICT (story_id) DO UPDATE SET doc = excluded.doc, title = excluded.title,
		title_starts = excluded.title_starts`
	pgDeleteStory = "DELETE FROM story_search WHERE story_id = ?"
	pgSaveComment = `INSERT INTO comment_search (comment_id, doc) VALUES (?, to_tsvector('simple', ?))
		ON CONFLICT (comment_id) DO UPDATE SET doc = excluded.doc`
	pgDeleteComment = "DELETE FROM comment_search WHERE comment_id = ?"
)

func (pgSearch) apply(ctx context.Context, t *txn, q *ftsQueue) error {
	if err := pgApply(ctx, t, q.stories, pgDeleteStory, func(id int64, d *ftsDoc) error {
		title := foldWords(d.a)
		_, err := t.ExecContext(ctx, pgSaveStory, id, title+" "+foldWords(d.b), title, wordStarts(title))
		return err
	}); err != nil {
		return fmt.Errorf("search index of stories: %w", err)
	}
	if err := pgApply(ctx, t, q.comments, pgDeleteComment, func(id int64, d *ftsDoc) error {
		_, err := t.ExecContext(ctx, pgSaveComment, id, foldWords(d.a)+" "+foldWords(d.b))
		return err
	}); err != nil {
		return fmt.Errorf("search index of comments: %w", err)
	}
	return nil
}

func pgApply(ctx context.Context, t *txn, m map[int64]*ftsChange, del string, save func(int64, *ftsDoc) error) error {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids) // a fixed order: two transactions never lock rows crosswise
	for _, id := range ids {
		var err error
		switch c := m[id]; {
		case c.doc != nil:
			err = save(id, c.doc)
		case c.indexed:
			_, err = t.ExecContext(ctx, del, id)
		}
		if err != nil {
			return fmt.Errorf("row %d: %w", id, err)
		}
	}
	return nil
}

func (pgSearch) stories(words []string, limit int) (string, []any) {
	return "SELECT " + storyColumns + ` FROM story_search f JOIN stories s ON s.id = f.story_id,
		plainto_tsquery('simple', ?) AS q WHERE f.doc @@ q ORDER BY ts_rank(f.doc, q) DESC, s.id DESC LIMIT ?`,
		[]any{foldWords(strings.Join(words, " ")), limit}
}

// suggest: a word of three letters or more is a substring of the title
// (pg_trgm answers LIKE '%word%' from its index); a shorter one must be
// one of the title's word starts.
func (pgSearch) suggest(words []string, limit int) (string, []any) {
	starts, likes := []string{}, []string{}
	for _, w := range strings.Fields(foldWords(strings.Join(words, " "))) {
		if utf8.RuneCountInString(w) < 3 {
			starts = append(starts, w)
		} else {
			likes = append(likes, "%"+w+"%") // words hold no LIKE syntax: see typedWords
		}
	}
	return "SELECT " + storyColumns + ` FROM stories s WHERE s.id IN
		(SELECT story_id FROM story_search WHERE title_starts @> CAST(? AS text[]) AND title LIKE ALL (CAST(? AS text[]))
		ORDER BY story_id DESC LIMIT ?)
		ORDER BY s.id DESC`, []any{starts, likes, limit}
}

func (pgSearch) comments(words []string, limit int) (string, []any) {
	return `deleted = 0 AND id IN (SELECT comment_id FROM comment_search, plainto_tsquery('simple', ?) AS q
		WHERE doc @@ q ORDER BY ts_rank(doc, q) DESC, comment_id LIMIT ?)`,
		[]any{foldWords(strings.Join(words, " ")), limit}
}

// foldWords is text as PostgreSQL's indexes hold it: its words
// (typedWords) in lower case without diacritics, one space apart.
func foldWords(text string) string {
	words := typedWords(text, -1)
	for i, w := range words {
		words[i] = fold(w)
	}
	return strings.Join(words, " ")
}

// fold lower-cases a word and drops its diacritics ("Café" → "cafe"), as
// FTS5's remove_diacritics does.
func fold(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(w)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return norm.NFC.String(b.String())
}

// wordStarts are the first one and two letters of each word of a folded
// title: what a word typed as one or two letters is matched against.
func wordStarts(title string) []string {
	var out []string
	for _, w := range strings.Fields(title) {
		r := []rune(w)
		out = append(out, string(r[:1]))
		if len(r) > 1 {
			out = append(out, string(r[:2]))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
