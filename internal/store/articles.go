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
		err = db.writeTxn(ctx, func(t *txn) error {
			rs, err := saveAll(ctx, t, []news.Article{a}, o, false)
			if err == nil {
				res = rs[0]
			}
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
	var out []news.SaveResult
	err := db.writeTxn(ctx, func(t *txn) error {
		var err error
		out, err = saveAll(ctx, t, as, o, true)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: save articles: %w", err)
	}
	return out, nil
}

// saveAll saves articles in order within one transaction, each seeing the
// ones saved before it; numbered says whether an error names the article
// by its place in the list.
func saveAll(ctx context.Context, t *txn, as []news.Article, o SaveOptions, numbered bool) ([]news.SaveResult, error) {
	ins := make([]*incoming, len(as))
	for i, a := range as {
		ins[i] = prepare(a, o.FeedID)
	}
	v, err := loadView(ctx, t, ins, o.FeedID)
	if err != nil {
		return nil, fmt.Errorf("read the stories the articles may belong to: %w", err)
	}
	// Each result is written in place: a result is a story and its
	// revision, large enough that copying it costs.
	out := make([]news.SaveResult, len(as))
	for i, in := range ins {
		// Statements do not watch ctx (statementContext): a cancelled
		// save stops here, naming why.
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		err := saveArticle(ctx, t, v, in, o, &out[i])
		if err != nil && numbered {
			return nil, fmt.Errorf("article %d of %d (%q): %w", i+1, len(as), short(articleLabel(in.a)), err)
		}
		if err != nil {
			return nil, err
		}
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

func saveArticle(ctx context.Context, t *txn, v *batchView, in *incoming, o SaveOptions, res *news.SaveResult) error {
	now := orNow(o.Now)
	cur, err := findStory(ctx, t, v, in, o.FeedID)
	if err != nil {
		return fmt.Errorf("find story: %w", err)
	}
	var next *storyState
	switch {
	case cur == nil:
		res.Status = news.StatusNew
		next, err = insertStory(ctx, t, in, o.FeedID, now)
	case cur.seenAsIs(in):
		// The stored text is this copy's: no need to read it back.
		res.Status, next = news.StatusUnchanged, cur
		if !cur.hasParas {
			cur.latest.Paragraphs, err = asStored(in.a.Paragraphs)
			cur.hasParas = err == nil
		}
	default:
		next, res.Status, err = reviseStory(ctx, t, cur, in, o.FeedID, now)
	}
	if err != nil {
		return err
	}
	if in.a.Comments != nil {
		ch, err := mergeComments(ctx, t, next.id, in.a.Comments, now, o.MaxComments)
		if err != nil {
			return fmt.Errorf("comments of story %d: %w", next.id, err)
		}
		next.comments = ch.Total
	}
	v.put(next)
	if res.Revision, err = next.rev(); err != nil {
		return err
	}
	res.Story, res.Comments = next.story(res.Revision, next.comments), next.comments
	if err := enqueueStory(ctx, t, res.Story, res.Status, o, now); err != nil {
		return fmt.Errorf("enqueue deliveries for story %d: %w", next.id, err)
	}
	return nil
}

// insertStory stores a story seen for the first time with its first
// revision, and queues it for search.
func insertStory(ctx context.Context, t *txn, in *incoming, feedID string, now time.Time) (*storyState, error) {
	a, norm := in.a, in.normalized()
	st := &storyState{storyRow: storyRow{
		feedID: feedID, guid: in.guid, url: in.canon, title: in.title, titleKey: in.titleKey,
		author: strings.TrimSpace(a.Author), source: strings.TrimSpace(a.Source),
		imageURL: strings.TrimSpace(a.ImageURL), commentsURL: strings.TrimSpace(a.CommentsURL),
		externalID: strings.TrimSpace(a.ExternalID), published: ms(a.Published), updated: ms(a.Updated),
		firstSeen: ms(now), revision: 1,
	}, digest: in.digest, parsed: true, hasParas: true, hasText: true}
	row := &st.storyRow
	var err error
	row.id, err = insertID(ctx, t, `INSERT INTO stories (feed_id, guid, url, title, title_key, author, source,
		image_url, comments_url, external_id, published, updated, first_seen, revision, copy_digest)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		row.feedID, row.guid, row.url, row.title, row.titleKey, row.author, row.source,
		row.imageURL, row.commentsURL, row.externalID, row.published, row.updated, row.firstSeen, row.revision,
		st.digest)
	if err != nil {
		return nil, fmt.Errorf("insert story: %w", err)
	}
	st.latest = storedRevision{Revision: news.Revision{StoryID: row.id, Number: 1, Title: in.title,
		Paragraphs: a.Paragraphs, SourceURL: a.URL, SeenAt: now}, norm: norm, text: in.text}
	if err := insertRevision(ctx, t, &st.latest.Revision, norm, in.doc()); err != nil {
		return nil, err
	}
	t.fts.story(row.id, false, row.title, in.text)
	return st, nil
}

// reviseStory files a copy of a stored story: a new revision when the
// content really changed, and the story's descriptive fields brought up to
// date. Nothing is written when nothing changed.
func reviseStory(ctx context.Context, t *txn, cur *storyState, in *incoming, feedID string, now time.Time) (*storyState, news.Status, error) {
	if err := cur.loadText(ctx, t); err != nil {
		return nil, "", err
	}
	prevRev, err := cur.rev()
	if err != nil {
		return nil, "", err
	}
	prev := storedRevision{Revision: prevRev, norm: cur.latest.norm, text: cur.latest.text}
	next, changed, stale, err := compareRevision(ctx, t, prev, in)
	if err != nil {
		return nil, "", err
	}
	status := news.StatusUnchanged
	if changed {
		status = news.StatusUpdated
		next.StoryID, next.SeenAt, next.SourceURL = cur.id, now, in.a.URL
		d := in.doc()
		if len(in.norm) == 0 {
			d = revision.NewDoc(in.titleKey, next.norm) // the text is the previous revision's
		}
		if err := insertRevision(ctx, t, &next.Revision, next.norm, d); err != nil {
			return nil, "", err
		}
	}
	st := &storyState{storyRow: cur.merge(in, feedID, next.Number, !stale), digest: cur.digest,
		latest: next, parsed: true, hasParas: true, hasText: true, comments: cur.comments}
	if st.storyRow != cur.storyRow {
		st.digest = digestFor(in, next.Paragraphs)
		if err := updateStory(ctx, t, st.storyRow, st.digest); err != nil {
			return nil, "", fmt.Errorf("update story %d: %w", cur.id, err)
		}
	}
	if !cur.deleted && (changed || st.title != cur.title) {
		t.fts.story(cur.id, true, st.title, next.text)
	}
	return st, status, nil
}

// storedRevision is a revision as read back for comparison, with its
// normalised text.
type storedRevision struct {
	news.Revision
	norm []string // nil when not computed
	text string
}

// normalized is the revision's normalised paragraphs, computed when not
// known.
func (r storedRevision) normalized() []string {
	if r.norm == nil {
		return revision.Normalize(r.Paragraphs)
	}
	return r.norm
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
	paras, norm, text := in.a.Paragraphs, in.normalized(), in.text
	if len(norm) == 0 {
		// No text in this copy: unknown, not removed.
		paras, norm, text = prev.Paragraphs, prev.normalized(), prev.text
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
	// The text is normalised by today's rules (loadText), whatever rules
	// computed the stored hash.
	if !titleChanged && (text == prev.text || equalStrings(norm, prev.normalized())) {
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

// insertRevision stores r, whose normalised paragraphs are norm and whose
// text d prepares for the content index; r gets its hash and the forms a
// reload would give.
func insertRevision(ctx context.Context, t *txn, r *news.Revision, norm []string, d *revision.Doc) error {
	r.Hash = revision.HashNormalized(r.Title, norm)
	sketch := d.Sketch(revision.SketchSize)
	body, added, removed := jsonList(r.Paragraphs), jsonList(r.Added), jsonList(r.Removed)
	rowid, err := insertID(ctx, t, `INSERT INTO revisions
		(story_id, number, title, body, hash, source_url, seen_at, added, removed, old_title, sketch)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.StoryID, r.Number, r.Title, body, r.Hash, r.SourceURL, ms(r.SeenAt), added, removed, r.OldTitle,
		t.db.e.content().column(sketch))
	if err != nil {
		return fmt.Errorf("insert revision %d of story %d: %w", r.Number, r.StoryID, err)
	}
	if err := t.db.e.content().stored(ctx, t, rowid, r.StoryID, sketch); err != nil {
		return fmt.Errorf("index revision %d of story %d: %w", r.Number, r.StoryID, err)
	}
	// What the caller returns must be what a reload would read.
	r.SeenAt = fromMS(ms(r.SeenAt))
	for _, dst := range []*[]string{&r.Paragraphs, &r.Added, &r.Removed} {
		if *dst, err = asStored(*dst); err != nil {
			return err
		}
	}
	return nil
}
