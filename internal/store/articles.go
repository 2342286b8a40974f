package store

import (
	"context"
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
// then among stories whose text shares passages with the article's or
// whose headline is the same, confirmed by revision.Same. An article
// without text never erases a story's text: its text is taken as unknown.
func (db *DB) SaveArticle(ctx context.Context, a news.Article, o SaveOptions) (news.SaveResult, error) {
	var res news.SaveResult
	err := validateArticle(a)
	if err == nil {
		err = db.saveTxn(ctx, func(t *txn) error {
			var err error
			res, err = saveArticle(ctx, t, a, o)
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
	err := db.saveTxn(ctx, func(t *txn) error {
		for i, a := range as {
			res, err := saveArticle(ctx, t, a, o)
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

// saveTxn is writeTxn for saves of articles, whose content index first
// catches up with what other processes stored.
func (db *DB) saveTxn(ctx context.Context, fn func(t *txn) error) error {
	return db.writeTxn(ctx, func(t *txn) error {
		if err := db.sketches.catchUp(ctx, t); err != nil {
			return fmt.Errorf("read content index: %w", err)
		}
		return fn(t)
	})
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

// incoming is an article prepared once for everything a save compares:
// trimmed fields, canonical URL, title key and normalised text.
type incoming struct {
	a        news.Article
	title    string
	guid     string
	canon    string
	titleKey string
	norm     []string // revision.Normalize(a.Paragraphs)
	text     string   // norm as stored: joined by blank lines
	d        *revision.Doc
}

// doc is the article as revision.Same compares it, made when first needed:
// an article found by GUID or URL and unchanged never needs it.
func (in *incoming) doc() *revision.Doc {
	if in.d == nil {
		in.d = revision.NewDoc(in.titleKey, in.norm)
	}
	return in.d
}

func prepare(a news.Article) *incoming {
	in := &incoming{
		a:     a,
		title: strings.TrimSpace(a.Title),
		guid:  strings.TrimSpace(a.GUID),
		canon: revision.CanonicalURL(a.URL),
		norm:  revision.Normalize(a.Paragraphs),
	}
	in.titleKey = revision.TitleKey(in.title)
	in.text = strings.Join(in.norm, "\n\n")
	return in
}

func saveArticle(ctx context.Context, t *txn, a news.Article, o SaveOptions) (news.SaveResult, error) {
	now := orNow(o.Now)
	in := prepare(a)
	var res news.SaveResult
	row, found, err := findStory(ctx, t, in, o.FeedID)
	if err != nil {
		return res, fmt.Errorf("find story: %w", err)
	}
	var rev news.Revision
	if !found {
		res.Status = news.StatusNew
		if row, rev, err = insertStory(ctx, t, in, o.FeedID, now); err != nil {
			return res, err
		}
	} else {
		if row, rev, res.Status, err = reviseStory(ctx, t, row, in, o.FeedID, now); err != nil {
			return res, err
		}
	}
	count := 0
	if a.Comments != nil {
		ch, err := mergeComments(ctx, t, row.id, a.Comments, now, o.MaxComments)
		if err != nil {
			return res, fmt.Errorf("comments of story %d: %w", row.id, err)
		}
		count = ch.Total
	} else if found {
		if err := t.QueryRowContext(ctx, "SELECT COUNT(*) FROM comments WHERE story_id = ?", row.id).Scan(&count); err != nil {
			return res, fmt.Errorf("count comments of story %d: %w", row.id, err)
		}
	}
	res.Story, res.Revision, res.Comments = row.story(rev, count), rev, count
	if err := enqueueStory(ctx, t, res.Story, res.Status, o, now); err != nil {
		return res, fmt.Errorf("enqueue deliveries for story %d: %w", row.id, err)
	}
	return res, nil
}

// insertStory stores a story seen for the first time with its first
// revision, and queues it for search.
func insertStory(ctx context.Context, t *txn, in *incoming, feedID string, now time.Time) (storyRow, news.Revision, error) {
	a := in.a
	row := storyRow{
		feedID: feedID, guid: in.guid, url: in.canon, title: in.title, titleKey: in.titleKey,
		author: strings.TrimSpace(a.Author), source: strings.TrimSpace(a.Source),
		imageURL: strings.TrimSpace(a.ImageURL), commentsURL: strings.TrimSpace(a.CommentsURL),
		externalID: strings.TrimSpace(a.ExternalID), published: ms(a.Published), updated: ms(a.Updated),
		firstSeen: ms(now), revision: 1,
	}
	res, err := t.ExecContext(ctx, `INSERT INTO stories (feed_id, guid, url, title, title_key, author, source,
		image_url, comments_url, external_id, published, updated, first_seen, revision)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		row.feedID, row.guid, row.url, row.title, row.titleKey, row.author, row.source,
		row.imageURL, row.commentsURL, row.externalID, row.published, row.updated, row.firstSeen, row.revision)
	if err == nil {
		row.id, err = res.LastInsertId()
	}
	if err != nil {
		return row, news.Revision{}, fmt.Errorf("insert story: %w", err)
	}
	rev := news.Revision{StoryID: row.id, Number: 1, Title: in.title, Paragraphs: a.Paragraphs, SourceURL: a.URL, SeenAt: now}
	if err := insertRevision(ctx, t, &rev, in.norm, in.text, in.doc()); err != nil {
		return row, rev, err
	}
	t.fts.story(row.id, false, row.title, in.text)
	return row, rev, nil
}

// reviseStory files a copy of a stored story: a new revision when the
// content really changed, and the story's descriptive fields brought up to
// date. Nothing is written when nothing changed.
func reviseStory(ctx context.Context, t *txn, row storyRow, in *incoming, feedID string, now time.Time) (storyRow, news.Revision, news.Status, error) {
	prev, err := latestRevision(ctx, t, row.id, row.revision)
	if err != nil {
		return row, prev.Revision, "", err
	}
	next, changed, stale, err := compareRevision(ctx, t, prev, in)
	if err != nil {
		return row, prev.Revision, "", err
	}
	status := news.StatusUnchanged
	if changed {
		status = news.StatusUpdated
		next.StoryID, next.SeenAt, next.SourceURL = row.id, now, in.a.URL
		d := in.doc()
		if len(in.norm) == 0 {
			d = revision.NewDoc(in.titleKey, next.norm) // the text is the previous revision's
		}
		if err := insertRevision(ctx, t, &next.Revision, next.norm, next.text, d); err != nil {
			return row, prev.Revision, "", err
		}
	}
	updated := row.merge(in, feedID, next.Number, !stale)
	if updated != row {
		if err := updateStory(ctx, t, updated); err != nil {
			return row, prev.Revision, "", fmt.Errorf("update story %d: %w", row.id, err)
		}
	}
	if !row.deleted && (changed || updated.title != row.title) {
		t.fts.story(row.id, true, updated.title, next.text)
	}
	return updated, next.Revision, status, nil
}

// storedRevision is a revision as read back for comparison, with its
// normalised text.
type storedRevision struct {
	news.Revision
	norm []string // nil when not computed
	text string
}

func latestRevision(ctx context.Context, q querier, storyID int64, number int) (storedRevision, error) {
	var r storedRevision
	r.StoryID, r.Number = storyID, number
	var body, added, removed string
	var seen int64
	err := q.QueryRowContext(ctx, `SELECT title, body, text, hash, source_url, seen_at, added, removed, old_title
		FROM revisions WHERE story_id = ? AND number = ?`, storyID, number).
		Scan(&r.Title, &body, &r.text, &r.Hash, &r.SourceURL, &seen, &added, &removed, &r.OldTitle)
	if err != nil {
		return r, fmt.Errorf("load revision %d of story %d: %w", number, storyID, err)
	}
	r.SeenAt = fromMS(seen)
	for _, f := range []struct {
		dst *[]string
		src string
	}{{&r.Paragraphs, body}, {&r.Added, added}, {&r.Removed, removed}} {
		if *f.dst, err = parseList(f.src); err != nil {
			return r, fmt.Errorf("revision %d of story %d: %w", number, storyID, err)
		}
	}
	return r, nil
}

// compareRevision compares an article with the story's latest revision. It
// returns the revision to add and true, or the latest revision and false
// when nothing a reader would call a change happened; stale reports a copy
// identical to an older revision (another site still showing the first
// version), which is not a change back.
func compareRevision(ctx context.Context, q querier, prev storedRevision, in *incoming) (next storedRevision, changed, stale bool, err error) {
	title := in.title
	if title == "" {
		title = prev.Title
	}
	paras, norm, text := in.a.Paragraphs, in.norm, in.text
	if len(norm) == 0 {
		// No text in this copy: unknown, not removed.
		paras, norm, text = prev.Paragraphs, revision.Normalize(prev.Paragraphs), prev.text
	}
	h := revision.HashNormalized(title, norm)
	if h == prev.Hash {
		return prev, false, false, nil
	}
	rows, err := q.QueryContext(ctx, "SELECT hash FROM revisions WHERE story_id = ? AND number < ?", prev.StoryID, prev.Number)
	if err != nil {
		return prev, false, false, fmt.Errorf("load revisions of story %d: %w", prev.StoryID, err)
	}
	for rows.Next() {
		var old string
		if err := rows.Scan(&old); err != nil {
			rows.Close()
			return prev, false, false, err
		}
		stale = stale || old == h
	}
	rows.Close()
	if err := rows.Err(); err != nil || stale {
		return prev, false, stale, err
	}
	titleChanged := revision.TitleChanged(prev.Title, title)
	// The stored text was normalised by the rules of the day it was saved;
	// when it differs, today's rules have the last word.
	if !titleChanged && (text == prev.text || equalStrings(norm, revision.Normalize(prev.Paragraphs))) {
		return prev, false, false, nil
	}
	next = storedRevision{Revision: news.Revision{Number: prev.Number + 1, Title: title, Paragraphs: paras, Hash: h}, norm: norm, text: text}
	next.Added, next.Removed = revision.Diff(prev.Paragraphs, paras)
	if titleChanged {
		next.OldTitle = prev.Title
	}
	return next, true, false, nil
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

// insertRevision stores r, whose normalised paragraphs are norm (joined:
// text) and whose text d prepares for the content index; r gets its hash
// and the forms a reload would give.
func insertRevision(ctx context.Context, t *txn, r *news.Revision, norm []string, text string, d *revision.Doc) error {
	r.Hash = revision.HashNormalized(r.Title, norm)
	sketch := d.Sketch(revision.SketchSize)
	body, added, removed := jsonList(r.Paragraphs), jsonList(r.Added), jsonList(r.Removed)
	res, err := t.ExecContext(ctx, `INSERT INTO revisions
		(story_id, number, title, body, text, hash, source_url, seen_at, added, removed, old_title, sketch)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.StoryID, r.Number, r.Title, body, text, r.Hash, r.SourceURL, ms(r.SeenAt), added, removed, r.OldTitle,
		encodeSketch(sketch))
	var rowid int64
	if err == nil {
		rowid, err = res.LastInsertId()
	}
	if err != nil {
		return fmt.Errorf("insert revision %d of story %d: %w", r.Number, r.StoryID, err)
	}
	t.sketches.add(rowid, r.StoryID, sketch)
	// What the caller returns must be what a reload would read.
	r.SeenAt = fromMS(ms(r.SeenAt))
	for _, f := range []struct {
		dst *[]string
		src string
	}{{&r.Paragraphs, body}, {&r.Added, added}, {&r.Removed, removed}} {
		if *f.dst, err = reloadedList(*f.dst, f.src); err != nil {
			return err
		}
	}
	return nil
}
