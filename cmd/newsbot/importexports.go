package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/newsbot-dev/newsbot/internal/feed/comments"
	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/store"
)

// importedThread reports one discussion of a comment export.
type importedThread struct {
	URL      string `json:"url"`
	Story    int64  `json:"story"`    // 0 when no stored story has the thread's URL
	Comments int    `json:"comments"` // the story's comments after the import
	Added    int    `json:"added"`    // comments new to the story
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
	case bytes.HasPrefix(bytes.TrimSpace(head), []byte("[")) && bytes.Contains(head, []byte(`"comments"`)):
		return func(b []byte) ([]comments.Thread, error) { return comments.ParseGenericJSON(bytes.NewReader(b)) }, "comment export"
	}
	return nil, ""
}

// importExport merges each thread of an export into the stored story with
// the same canonical URL. Threads whose story is not stored are listed
// with story 0; import the stories (their feed or pages) first.
func importExport(ctx context.Context, db *store.DB, file string, data []byte, now time.Time,
	parse func([]byte) ([]comments.Thread, error), kind string) (importResult, error) {
	threads, err := parse(data)
	if err != nil {
		return importResult{}, fmt.Errorf("%s: %s: %w", file, kind, err)
	}
	out := newImportResult(file)
	out.Threads = []importedThread{}
	for _, th := range threads {
		t := importedThread{URL: th.URL}
		s, err := db.StoryByURL(ctx, th.URL)
		switch {
		case errors.Is(err, news.ErrNotFound), errors.Is(err, news.ErrInvalid):
			out.Threads = append(out.Threads, t)
			continue
		case err != nil:
			return out, fmt.Errorf("%s: thread %s: %w", file, th.URL, err)
		}
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
