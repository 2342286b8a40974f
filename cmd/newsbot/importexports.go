package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/newsbot-dev/newsbot/internal/feed/comments"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

// importedThread reports one discussion of a comment export.
type importedThread struct {
	URL      string      `json:"url"`
	Story    int64       `json:"story"`
	Status   news.Status `json:"status,omitempty"` // "new" when --create stored the thread as a story
	Comments int         `json:"comments"`         // the story's comments after the import
	Added    int         `json:"added"`            // comments new to the story
}

// exportKind recognises comment exports among import's files: they carry
// comments for stories already stored, matched by URL, not stories.
func exportKind(data []byte) (parse func([]byte) ([]comments.Thread, error), name string) {
	head := data[:min(len(data), 4096)]
	switch {
	case bytes.Contains(head, []byte("wordpress.org/export/")):
		return func(b []byte) ([]comments.Thread, error) { return comments.ParseWXR(bytes.NewReader(b)) }, "WordPress export"
	case bytes.Contains(head, []byte("<disqus")):
		return func(b []byte) ([]comments.Thread, error) { return comments.ParseDisqus(bytes.NewReader(b)) }, "Disqus export"
	case comments.SniffJSON(data) == comments.JSONExport:
		return func(b []byte) ([]comments.Thread, error) { return comments.ParseGenericJSON(bytes.NewReader(b)) }, "comment export"
	}
	return nil, ""
}

// importExport merges each thread of an export into the stored story with
// the same canonical URL. A thread whose story is not stored fails the
// file (nothing is written) unless create says to store it as a story of
// its own.
func importExport(ctx context.Context, db *store.DB, file string, data []byte, now time.Time, create bool,
	parse func([]byte) ([]comments.Thread, error), kind string) (importResult, error) {
	threads, err := parse(data)
	if err != nil {
		return importResult{}, fmt.Errorf("%s: %s: %w", file, kind, err)
	}
	if len(threads) == 0 {
		return importResult{}, fmt.Errorf("%s: %s holds no comments", file, kind)
	}
	stories := make([]news.Story, len(threads))
	var missing []string
	var fresh []news.Article
	for i, th := range threads {
		s, err := db.StoryByURL(ctx, th.URL)
		switch {
		case errors.Is(err, news.ErrNotFound), errors.Is(err, news.ErrInvalid):
			missing = append(missing, cmp.Or(th.URL, "(no URL)"))
			fresh = append(fresh, threadArticle(th))
		case err != nil:
			return importResult{}, fmt.Errorf("%s: thread %s: %w", file, th.URL, err)
		default:
			stories[i] = s
		}
	}
	if len(missing) > 0 && !create {
		return importResult{}, fmt.Errorf("%s: %s: %d of %d threads belong to no stored story (%s): import their stories first (their feed or pages), "+
			"or import --create to store each such thread as a story of its own", file, kind, len(missing), len(threads), listSome(missing, 3))
	}
	created, err := db.SaveArticles(ctx, fresh, store.SaveOptions{Now: now})
	if err != nil {
		return importResult{}, fmt.Errorf("%s: store the threads as stories: %w", file, err)
	}
	out := newImportResult(file)
	out.Threads = []importedThread{}
	for i, th := range threads {
		t := importedThread{URL: th.URL}
		if stories[i].ID == 0 {
			r := created[0]
			created = created[1:]
			t.Story, t.Status, t.Comments, t.Added = r.Story.ID, r.Status, r.Comments, r.Comments
			out.add(r, false)
			out.Threads = append(out.Threads, t)
			continue
		}
		s := stories[i]
		ch, err := db.SaveComments(ctx, s.ID, th.Comments, now, 0)
		if err != nil {
			return out, fmt.Errorf("%s: thread %s: %w", file, th.URL, err)
		}
		t.Story, t.Comments, t.Added = s.ID, ch.Total, ch.Added
		if out.Story == 0 {
			out.Story, out.Revision, out.Title, out.Comments = s.ID, s.Revision, s.Title, ch.Total
		}
		out.Threads = append(out.Threads, t)
	}
	return out, nil
}

// threadArticle is a thread stored as a story of its own (import --create):
// its page's address and title, and its comments.
func threadArticle(th comments.Thread) news.Article {
	a := news.Article{URL: th.URL, Title: cmp.Or(strings.TrimSpace(th.Title), th.URL), Comments: th.Comments}
	if !strings.Contains(th.URL, "://") {
		// isso exports name a page by its path: keep it as the id, as it
		// is no address a reader could follow.
		a.URL, a.GUID = "", "export:"+th.URL
	}
	return a
}

// listSome lists up to n items and counts the rest.
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:n], ", ") + fmt.Sprintf(" and %d more", len(items)-n)
}
