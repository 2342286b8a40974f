package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/revision"
)

// SaveOptions says where an article came from and who should hear of it.
type SaveOptions struct {
	FeedID      string    // feed that brought the article; "" for imports
	Now         time.Time // the moment of the save; zero means time.Now
	Post        []string  // channels owed a post: "new" once, then "updated" per revision
	Skip        []string  // channels that must never get this story as new
	MaxComments int       // cap on stored comments per story; 0 means DefaultMaxComments
}

// SaveArticle files an article under the story it belongs to, adding a
// revision only when the content really changed, merges its comments, and
// enqueues the deliveries it makes owed. All of it is one transaction.
//
// The story is found by GUID (within the feed), then by canonical URL,
// then among stories with the same title key whose text is similar
// (revision.SameStory). An article without text never erases a story's
// text: its text is taken as unknown.
func (db *DB) SaveArticle(ctx context.Context, a news.Article, o SaveOptions) (news.SaveResult, error) {
	var res news.SaveResult
	err := validateArticle(a)
	if err == nil {
		err = db.write(ctx, func(tx *sql.Tx) error {
			var err error
			res, err = saveArticle(ctx, tx, a, o)
			return err
		})
	}
	if err != nil {
		return news.SaveResult{}, fmt.Errorf("store: save article %q: %w", short(articleLabel(a)), err)
	}
	return res, nil
}

// SaveArticles saves several articles as one transaction: all of them, or
// none when any fails, so a file imported whole is never half stored. Each
// article is matched and compared as SaveArticle does, in order, and sees
// the ones saved before it.
func (db *DB) SaveArticles(ctx context.Context, as []news.Article, o SaveOptions) ([]news.SaveResult, error) {
	for i, a := range as {
		if err := validateArticle(a); err != nil {
			return nil, fmt.Errorf("store: save article %d of %d (%q): %w", i+1, len(as), short(articleLabel(a)), err)
		}
	}
	out := make([]news.SaveResult, 0, len(as))
	err := db.write(ctx, func(tx *sql.Tx) error {
		for i, a := range as {
			res, err := saveArticle(ctx, tx, a, o)
			if err != nil {
				return fmt.Errorf("article %d of %d (%q): %w", i+1, len(as), short(articleLabel(a)), err)
			}
			out = append(out, res)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: save articles: %w", err)
	}
	return out, nil
}

func articleLabel(a news.Article) string {
	for _, s := range []string{a.Title, a.URL, a.GUID} {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return "(untitled)"
}

func validateArticle(a news.Article) error {
	if strings.TrimSpace(a.Title) == "" && strings.TrimSpace(a.URL) == "" &&
		strings.TrimSpace(a.GUID) == "" && len(revision.Normalize(a.Paragraphs)) == 0 {
		return fmt.Errorf("no title, URL, GUID or text: %w", errInvalid)
	}
	return nil
}

func saveArticle(ctx context.Context, tx *sql.Tx, a news.Article, o SaveOptions) (news.SaveResult, error) {
	t := orNow(o.Now)
	var res news.SaveResult
	id, found, err := findStory(ctx, tx, a, o.FeedID)
	if err != nil {
		return res, fmt.Errorf("find story: %w", err)
	}
	var rev news.Revision
	stale := false // a copy of an older revision: it must change nothing
	if !found {
		res.Status = news.StatusNew
		rev = news.Revision{Number: 1, Title: strings.TrimSpace(a.Title), Paragraphs: a.Paragraphs}
		if id, err = insertStory(ctx, tx, a, o.FeedID, t); err != nil {
			return res, fmt.Errorf("insert story: %w", err)
		}
	} else {
		var changed bool
		if rev, changed, stale, err = nextRevision(ctx, tx, id, a); err != nil {
			return res, err
		}
		res.Status = news.StatusUnchanged
		if changed {
			res.Status = news.StatusUpdated
		}
	}
	if err := updateStory(ctx, tx, id, a, o.FeedID, rev.Number, !stale); err != nil {
		return res, fmt.Errorf("update story %d: %w", id, err)
	}
	if res.Status != news.StatusUnchanged {
		rev.StoryID, rev.SeenAt, rev.SourceURL = id, t, a.URL
		if err := insertRevision(ctx, tx, rev); err != nil {
			return res, fmt.Errorf("insert revision %d of story %d: %w", rev.Number, id, err)
		}
	}
	if a.Comments != nil {
		if _, err := mergeComments(ctx, tx, id, a.Comments, t, o.MaxComments); err != nil {
			return res, fmt.Errorf("comments of story %d: %w", id, err)
		}
	}
	if res.Story, err = loadStory(ctx, tx, id); err != nil {
		return res, err
	}
	if err := enqueueStory(ctx, tx, res.Story, res.Status, o, t); err != nil {
		return res, fmt.Errorf("enqueue deliveries for story %d: %w", id, err)
	}
	revs, err := loadRevisions(ctx, tx, id, "AND number = (SELECT revision FROM stories WHERE id = ?)", id)
	if err != nil || len(revs) != 1 {
		return res, fmt.Errorf("reload latest revision of story %d: %w", id, errors.Join(err, errNotFound))
	}
	res.Revision, res.Comments = revs[0], res.Story.CommentCount
	return res, nil
}

// nextRevision compares an article with the story's latest revision. It
// returns the revision to add and true, or the latest revision and false
// when nothing a reader would call a change happened; stale reports a copy
// of an older revision.
func nextRevision(ctx context.Context, tx *sql.Tx, id int64, a news.Article) (rev news.Revision, changed, stale bool, err error) {
	revs, err := loadRevisions(ctx, tx, id, "")
	if err != nil {
		return news.Revision{}, false, false, fmt.Errorf("load revisions of story %d: %w", id, err)
	}
	if len(revs) == 0 {
		return news.Revision{}, false, false, fmt.Errorf("story %d has no revision: %w", id, errNotFound)
	}
	prev := revs[len(revs)-1]
	rev, changed, stale = compareRevision(prev, revs[:len(revs)-1], a)
	return rev, changed, stale, nil
}

// compareRevision is the decision of nextRevision. A copy identical to an
// older revision is a stale copy (another site still showing the first
// version), not a change back.
func compareRevision(prev news.Revision, older []news.Revision, a news.Article) (next news.Revision, changed, stale bool) {
	title := strings.TrimSpace(a.Title)
	if title == "" {
		title = prev.Title
	}
	paras := a.Paragraphs
	if len(revision.Normalize(paras)) == 0 {
		paras = prev.Paragraphs // no text in this copy: unknown, not removed
	}
	h := revision.Hash(title, paras)
	if h == prev.Hash {
		return prev, false, false
	}
	for _, r := range older {
		if r.Hash == h {
			return prev, false, true
		}
	}
	if !revision.TitleChanged(prev.Title, title) &&
		equalStrings(revision.Normalize(prev.Paragraphs), revision.Normalize(paras)) {
		return prev, false, false
	}
	next = news.Revision{Number: prev.Number + 1, Title: title, Paragraphs: paras}
	next.Added, next.Removed = revision.Diff(prev.Paragraphs, paras)
	if revision.TitleChanged(prev.Title, title) {
		next.OldTitle = prev.Title
	}
	return next, true, false
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func insertStory(ctx context.Context, tx *sql.Tx, a news.Article, feedID string, t time.Time) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO stories (feed_id, guid, url, title, title_key, first_seen)
		VALUES (?, ?, ?, ?, ?, ?)`,
		feedID, strings.TrimSpace(a.GUID), revision.CanonicalURL(a.URL), strings.TrimSpace(a.Title),
		revision.TitleKey(a.Title), ms(t))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// updateStory brings the story row's descriptive fields up to date: the
// title follows the latest copy unless it is stale (a copy of an older
// revision must not turn the title back), other
// fields fill in when newly known (the GUID only from the story's own feed,
// whose GUIDs it is matched by).
func updateStory(ctx context.Context, tx *sql.Tx, id int64, a news.Article, feedID string, rev int, current bool) error {
	title := strings.TrimSpace(a.Title)
	if !current {
		title = ""
	}
	_, err := tx.ExecContext(ctx, `UPDATE stories SET
		title = CASE WHEN ?1 = '' THEN title ELSE ?1 END,
		title_key = CASE WHEN ?1 = '' THEN title_key ELSE ?2 END,
		url = CASE WHEN url = '' THEN ?3 ELSE url END,
		author = CASE WHEN ?4 = '' THEN author ELSE ?4 END,
		source = CASE WHEN ?5 = '' THEN source ELSE ?5 END,
		image_url = CASE WHEN ?6 = '' THEN image_url ELSE ?6 END,
		comments_url = CASE WHEN ?7 = '' THEN comments_url ELSE ?7 END,
		external_id = CASE WHEN external_id = '' THEN ?8 ELSE external_id END,
		guid = CASE WHEN guid = '' AND feed_id = ?14 THEN ?9 ELSE guid END,
		published = CASE WHEN published = 0 THEN ?10 ELSE published END,
		updated = MAX(updated, ?11),
		revision = ?12
		WHERE id = ?13`,
		title, revision.TitleKey(title), revision.CanonicalURL(a.URL), strings.TrimSpace(a.Author),
		strings.TrimSpace(a.Source), strings.TrimSpace(a.ImageURL), strings.TrimSpace(a.CommentsURL),
		strings.TrimSpace(a.ExternalID), strings.TrimSpace(a.GUID), ms(a.Published), ms(a.Updated), rev, id, feedID)
	return err
}

func insertRevision(ctx context.Context, tx *sql.Tx, r news.Revision) error {
	norm := revision.Normalize(r.Paragraphs)
	_, err := tx.ExecContext(ctx, `INSERT INTO revisions
		(story_id, number, title, body, text, hash, source_url, seen_at, added, removed, old_title)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.StoryID, r.Number, r.Title, jsonList(r.Paragraphs), strings.Join(norm, "\n\n"),
		revision.Hash(r.Title, r.Paragraphs), r.SourceURL, ms(r.SeenAt),
		jsonList(r.Added), jsonList(r.Removed), r.OldTitle)
	return err
}
