package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
	"github.com/newsbot-dev/newsbot/internal/revision"
)

// DefaultMaxComments caps the comments stored per story when no cap is given.
const DefaultMaxComments = 10000

// CommentChanges reports what a comment merge did.
type CommentChanges struct {
	Added   int // new comments stored
	Edited  int // stored comments whose text changed (old text kept in CommentEdits)
	Deleted int // stored comments newly marked deleted
	Dropped int // new comments not stored because of the cap
	Total   int // comments stored for the story afterwards
}

// CommentEdit is an earlier text of a comment.
type CommentEdit struct {
	Body       string
	ReplacedAt time.Time
}

// SaveComments merges a page's comments into a story's stored thread in one
// transaction. Comments are matched by external id, else by author and
// text, else by author and posting time (within the precision of a relative
// age like "5h ago"). New comments get the next index, in input order;
// edited ones keep their index and their old text; comments missing from
// the page are kept (pages are paged and trimmed), and a deleted mark is
// recorded, never a row removed. At most max comments (0: 10000) are kept.
func (db *DB) SaveComments(ctx context.Context, storyID int64, cs []news.Comment, now time.Time, max int) (CommentChanges, error) {
	var ch CommentChanges
	err := db.writeTxn(ctx, func(t *txn) error {
		if err := storyExists(ctx, t, storyID); err != nil {
			return err
		}
		var err error
		ch, err = mergeComments(ctx, t, storyID, cs, now, max)
		return err
	})
	if err != nil {
		return CommentChanges{}, fmt.Errorf("store: save comments of story %d: %w", storyID, err)
	}
	return ch, nil
}

// stored is a comment already in the database, as merging sees it.
type stored struct {
	id                 int64
	idx                int
	externalID, author string
	parentExternalID   string
	body               string
	postedAt           time.Time
	editedAt           int64
	score              int
	hasScore           bool
	replyTo            int
	deleted, used      bool
}

// merge is one input comment and where it goes.
type merge struct {
	c   news.Comment
	old *stored // nil for a new comment
	idx int
}

func mergeComments(ctx context.Context, tx *txn, storyID int64, cs []news.Comment, t time.Time, max int) (CommentChanges, error) {
	var ch CommentChanges
	if max <= 0 {
		max = DefaultMaxComments
	}
	cs = cleanComments(cs)
	for i, c := range cs {
		if !c.Deleted && strings.TrimSpace(c.Author) == "" && strings.TrimSpace(c.Body) == "" {
			return ch, fmt.Errorf("comment %d: no author and no text: %w", i+1, errInvalid)
		}
	}
	existing, err := loadStored(ctx, tx, storyID)
	if err != nil {
		return ch, err
	}
	matched := matchComments(existing, cs, orNow(t))
	plan, total, dropped := planMerge(existing, cs, matched, max)
	ch.Dropped, ch.Total = dropped, total
	extIdx := map[string]int{}
	for _, s := range existing {
		if s.externalID != "" {
			extIdx[s.externalID] = s.idx
		}
	}
	inputIdx := map[int]int{}
	for _, m := range plan {
		if m.c.ExternalID != "" {
			extIdx[m.c.ExternalID] = m.idx
		}
		inputIdx[m.c.Index] = m.idx
	}
	for _, m := range plan {
		replyTo := extIdx[m.c.ParentID]
		if m.c.ParentID == "" || replyTo == 0 {
			replyTo = inputIdx[m.c.ReplyTo]
		}
		if replyTo == m.idx {
			replyTo = 0
		}
		if err := applyMerge(ctx, tx, storyID, m, replyTo, orNow(t), &ch); err != nil {
			return ch, fmt.Errorf("comment %d by %q: %w", m.idx, m.c.Author, err)
		}
	}
	return ch, nil
}

// planMerge gives every input comment its stored index: the matched one's,
// or the next free one in input order while the cap allows. A comment's
// Index, which ReplyTo refers to, defaults to its 1-based input position.
func planMerge(existing []*stored, cs []news.Comment, matched []*stored, max int) ([]merge, int, int) {
	next, total, dropped := 0, len(existing), 0
	if n := len(existing); n > 0 {
		next = existing[n-1].idx
	}
	plan := make([]merge, 0, len(cs))
	for i, c := range cs {
		if c.Index <= 0 {
			c.Index = i + 1 // keep the input position for ReplyTo resolution
		}
		if matched[i] != nil {
			plan = append(plan, merge{c: c, old: matched[i], idx: matched[i].idx})
			continue
		}
		if total >= max {
			dropped++
			continue
		}
		next++
		total++
		plan = append(plan, merge{c: c, idx: next})
	}
	return plan, total, dropped
}

func applyMerge(ctx context.Context, tx *txn, storyID int64, m merge, replyTo int, t time.Time, ch *CommentChanges) error {
	if m.old != nil {
		return updateComment(ctx, tx, m, replyTo, t, ch)
	}
	c := m.c
	id, err := insertID(ctx, tx, `INSERT INTO comments (story_id, idx, external_id, parent_external_id,
		reply_to, depth, author, author_key, body, posted_at, edited_at, score, has_score, deleted)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		storyID, m.idx, c.ExternalID, c.ParentID, replyTo, max(c.Depth, 0), c.Author, authorKey(c.Author),
		c.Body, ms(c.PostedAt), ms(c.EditedAt), c.Score, boolInt(c.HasScore), boolInt(c.Deleted))
	if err != nil {
		return err
	}
	ch.Added++
	tx.fts.comment(id, false, c.Author, c.Body)
	return nil
}

// updateComment brings a stored comment up to date with its copy on the
// page: an edit keeps the old text, a deletion is a mark, and fields only
// fill in. A comment seen again as it was is not written.
func updateComment(ctx context.Context, tx *txn, m merge, replyTo int, t time.Time, ch *CommentChanges) error {
	c, old := m.c, m.old
	body, editedAt, deleted := old.body, c.EditedAt, old.deleted
	switch {
	case c.Deleted:
		if !old.deleted {
			ch.Deleted++
		}
		deleted = true
	case strings.TrimSpace(c.Body) != "" && bodyKey(c.Body) != bodyKey(old.body):
		if _, err := tx.ExecContext(ctx, "INSERT INTO comment_edits (comment_id, body, replaced_at) VALUES (?, ?, ?)",
			old.id, old.body, ms(t)); err != nil {
			return err
		}
		body, deleted = c.Body, false
		if editedAt.IsZero() {
			editedAt = t
		}
		ch.Edited++
	}
	after := *old
	after.body, after.deleted = body, deleted
	if ms(editedAt) != 0 {
		after.editedAt = ms(editedAt)
	}
	if c.HasScore {
		after.score, after.hasScore = c.Score, true
	}
	if after.externalID == "" {
		after.externalID = c.ExternalID
	}
	if after.parentExternalID == "" {
		after.parentExternalID = c.ParentID
	}
	if after.replyTo == 0 {
		after.replyTo = replyTo
	}
	if after == *old {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE comments SET body = ?, deleted = ?, edited_at = ?, score = ?,
		has_score = ?, external_id = ?, parent_external_id = ?, reply_to = ? WHERE id = ?`,
		after.body, boolInt(after.deleted), after.editedAt, after.score, boolInt(after.hasScore),
		after.externalID, after.parentExternalID, after.replyTo, old.id)
	if err == nil && after.body != old.body {
		tx.fts.comment(old.id, true, old.author, after.body)
	}
	return err
}

func loadStored(ctx context.Context, q querier, storyID int64) ([]*stored, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, idx, external_id, parent_external_id, author, body, posted_at,
		edited_at, score, has_score, reply_to, deleted
		FROM comments WHERE story_id = ? ORDER BY idx`, storyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*stored
	for rows.Next() {
		s := &stored{}
		var posted int64
		if err := rows.Scan(&s.id, &s.idx, &s.externalID, &s.parentExternalID, &s.author, &s.body, &posted,
			&s.editedAt, &s.score, &s.hasScore, &s.replyTo, &s.deleted); err != nil {
			return nil, err
		}
		s.postedAt = fromMS(posted)
		out = append(out, s)
	}
	return out, rows.Err()
}

func authorKey(author string) string { return strings.ToLower(strings.TrimSpace(author)) }

// bodyKey is a comment's text as compared: re-flowed or re-quoted text is
// the same text.
func bodyKey(body string) string { return revision.NormalizeTitle(body) }
